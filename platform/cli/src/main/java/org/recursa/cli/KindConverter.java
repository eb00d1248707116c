package org.recursa.cli;

import org.recursa.api.ExtensionKind;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses {@code --kind}: a kind's label, singular or plural, any case. */
final class KindConverter implements ITypeConverter<ExtensionKind> {

    @Override
    public ExtensionKind convert(String value) {
        return ExtensionKind.fromLabel(value).orElseThrow(() -> new TypeConversionException(
                "unknown kind '" + value + "'; valid kinds: architecture, task, sampler, compressor"));
    }
}
