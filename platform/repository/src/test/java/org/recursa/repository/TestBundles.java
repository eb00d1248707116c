package org.recursa.repository;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Fabricates real bundle jars (a manifest and one class-path resource) for the tests. */
final class TestBundles {

    private TestBundles() {
    }

    static Path bundle(Path dir, String bsn, Map<String, String> headers) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", bsn);
        main.putValue("Bundle-Version", "1.2.0");
        headers.forEach(main::putValue);
        Files.createDirectories(dir);
        Path jar = dir.resolve(bsn + ".jar");
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.putNextEntry(new JarEntry(bsn.replace('.', '/') + "/README.txt"));
            out.write(("bundle " + bsn).getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return jar;
    }

    /** Two bundles, the second importing a package of the first, both importing the API. */
    static Path twoBundles(Path dir) throws IOException {
        bundle(dir, "org.example.base", Map.of(
                "Bundle-Name", "Base",
                "Bundle-Description", "Shared layers. Used by the looped one.",
                "Bundle-License", "Apache-2.0;link=\"https://www.apache.org/licenses/LICENSE-2.0\"",
                "Bundle-Vendor", "Example",
                "Export-Package", "org.example.base.layers;version=\"1.0.0\"",
                "Import-Package", "org.recursa.api;version=\"[1.0,2)\""));
        bundle(dir, "org.example.looped", Map.of(
                "Bundle-Name", "Looped",
                "Bundle-Description", "A looped transformer. It reuses one block.",
                "Bundle-License", "Apache-2.0",
                "Bundle-DocURL", "https://example.org/looped",
                "Bundle-Developers", "ada;name=\"Ada Example\",bob;name=\"Bob Example\"",
                "Recursa-Keywords", "recursion, looping ,weight sharing",
                "Recursa-Paper", "\"Looped Transformers, again\";url=\"https://arxiv.org/abs/0000.00000\"",
                "Import-Package", "org.example.base.layers;version=\"[1.0,2)\",org.recursa.api;version=\"[1.0,2)\""));
        return dir;
    }
}
