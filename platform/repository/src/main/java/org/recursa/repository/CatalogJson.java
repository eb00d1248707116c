package org.recursa.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;

/** Reads and writes {@code catalog.json}; a file larger than {@link #MAX_SIZE} is refused before it is read. */
public final class CatalogJson {

    /** The largest catalog.json accepted: ample for tens of thousands of plugins. */
    public static final long MAX_SIZE = 64L << 20;

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private CatalogJson() {
    }

    /** The catalog of these exact bytes. */
    public static Catalog parse(byte[] bytes) {
        try {
            Catalog catalog = MAPPER.readValue(bytes, Catalog.class);
            if (catalog == null) {
                throw new CatalogException(RepositoryLayout.CATALOG + ": empty");
            }
            if (catalog.format() != Catalog.FORMAT) {
                throw new CatalogException(RepositoryLayout.CATALOG + ": format " + catalog.format()
                        + " is not supported (this version reads format " + Catalog.FORMAT + ")");
            }
            return catalog;
        } catch (IOException e) {
            throw new CatalogException(RepositoryLayout.CATALOG + ": not valid JSON: "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    /** The catalog in {@code dir}, size-checked. */
    public static Catalog read(Path dir) {
        return parse(RepositoryFiles.readSmall(dir.resolve(RepositoryLayout.CATALOG), MAX_SIZE));
    }

    /** The bytes written for {@code catalog} (UTF-8, indented, ending with a newline). */
    public static byte[] bytes(Catalog catalog) {
        try {
            byte[] json = MAPPER.writeValueAsBytes(catalog);
            byte[] withNewline = java.util.Arrays.copyOf(json, json.length + 1);
            withNewline[json.length] = '\n';
            return withNewline;
        } catch (JsonProcessingException e) {
            throw new CatalogException("cannot write " + RepositoryLayout.CATALOG + ": " + e.getOriginalMessage(), e);
        }
    }
}
