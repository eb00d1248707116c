package org.recursa.catalog;

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

/** Real plugin bundle jars fabricated from test classes, as a plugin build would write them. */
final class TestBundles {

    /** Without ranges, so that the bundles resolve at whatever version the host exports. */
    static final String IMPORTS = "org.recursa.api,org.recursa.api.task,org.recursa.api.plugin,com.google.inject";

    private TestBundles() {
    }

    /** A plugin bundle {@code name version} with catalog headers, its module and classes. */
    static Path plugin(Path dir, String name, String version, Class<?> module, Class<?>... classes)
            throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Bundle-SymbolicName", name);
        headers.put("Bundle-Version", version);
        headers.put("Bundle-Name", "Plugin " + name);
        headers.put("Bundle-Description", "A test plugin. It reverses digits.");
        headers.put("Bundle-License", "Apache-2.0");
        headers.put("Recursa-Keywords", "test, publish");
        headers.put("Import-Package", IMPORTS);
        headers.put("Recursa-Module", module.getName());
        Class<?>[] all = new Class<?>[classes.length + 1];
        all[0] = module;
        System.arraycopy(classes, 0, all, 1, classes.length);
        return fabricate(dir.resolve(name + "-" + version + ".jar"), headers, all);
    }

    static Path fabricate(Path target, Map<String, String> headers, Class<?>... classes) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (headers.containsKey("Bundle-SymbolicName")) {
            main.putValue("Bundle-ManifestVersion", "2");
        }
        headers.forEach(main::putValue);
        Files.createDirectories(target.getParent());
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
