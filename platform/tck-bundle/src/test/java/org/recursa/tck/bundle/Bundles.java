package org.recursa.tck.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Real bundle jars fabricated from test classes, as a plugin build would write them. */
final class Bundles {

    /** What the fixtures import, without ranges, so that they resolve at whatever version the host exports. */
    static final String IMPORTS = "org.recursa.api,org.recursa.api.task,org.recursa.api.plugin,com.google.inject";

    private Bundles() {
    }

    /** A bundle {@code name 1.0.0} importing {@link #IMPORTS} (plus {@code extraImports}) with a module header. */
    static Path plugin(Path dir, String name, String extraImports, String module, Class<?>... classes)
            throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Bundle-SymbolicName", name);
        headers.put("Bundle-Version", "1.0.0");
        headers.put("Import-Package", IMPORTS + extraImports);
        if (module != null) {
            headers.put("Recursa-Module", module);
        }
        return fabricate(dir.resolve(name + ".jar"), headers, classes);
    }

    static Path fabricate(Path target, Map<String, String> headers, Class<?>... classes) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        headers.forEach(main::putValue);
        try (OutputStream file = Files.newOutputStream(target);
             JarOutputStream jar = new JarOutputStream(file, manifest)) {
            for (Class<?> type : classes) {
                String name = type.getName().replace('.', '/') + ".class";
                jar.putNextEntry(new JarEntry(name));
                try (InputStream in = type.getClassLoader().getResourceAsStream(name)) {
                    in.transferTo(jar);
                }
                jar.closeEntry();
            }
        }
        return target;
    }
}
