package org.recursa.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.runtime.build.SystemPackagesGenerator;
import org.recursa.runtime.fixtures.EchoTask;

class SystemPackagesTest {

    @TempDir
    Path dir;

    @Test
    void theGeneratedListExportsTheApiGuiceInjectSlf4jAndNd4jButNotTheRuntime() {
        String extra = SystemPackages.extra();
        assertThat(extra).contains("org.recursa.api;version=\"1.0.0\"", "org.recursa.api.plugin;version=\"1.0.0\"",
                "com.google.inject;version=", "com.google.inject.multibindings;", "jakarta.inject;version=\"2.0.1\"",
                "org.slf4j;version=", "org.nd4j.linalg.factory;version=\"1.0.0.M2_1\"", "org.bytedeco.javacpp;");
        assertThat(SystemPackages.clauses()).noneMatch(c -> c.startsWith("org.recursa.runtime"));
        assertThat(SystemPackages.clauses()).as("the training SPI and the engine's public layers")
                .contains("org.recursa.engine.train;version=\"1.3.0\"")
                .anyMatch(c -> c.startsWith("org.recursa.engine.nn;"))
                .anyMatch(c -> c.startsWith("org.recursa.engine.ops;"));
        assertThat(SystemPackages.clauses()).as("never the kernels, the host-only engine services or the run store")
                .noneMatch(c -> c.startsWith("org.recursa.engine.kernel"))
                .noneMatch(c -> c.startsWith("org.recursa.engine.host"))
                .noneMatch(c -> c.startsWith("org.recursa.runstore"));
        assertThat(SystemPackages.clauses()).as("oneDNN and OpenCL serve the engine's bf16 products, not plugins")
                .noneMatch(c -> c.startsWith("org.bytedeco.dnnl"))
                .noneMatch(c -> c.startsWith("org.bytedeco.opencl"));
        assertThat(SystemPackages.clauses()).noneMatch(c -> c.contains("uses:="));
        assertThat(RecursaHost.exportedVersion("org.recursa.api")).hasValue("1.0.0");
        assertThat(RecursaHost.exportedRecursaPackages()).containsEntry("org.recursa.api", "1.0.0")
                .containsKeys("org.recursa.api.task", "org.recursa.engine", "org.recursa.engine.nn",
                        "org.recursa.engine.train")
                .allSatisfy((name, version) -> assertThat(name).startsWith("org.recursa."))
                .as("every package plugins import is at 1.0.0 or later, where the baseline check holds it to "
                        + "semantic versioning (bnd does not enforce 0.x)")
                .allSatisfy((name, version) -> assertThat(version).doesNotStartWith("0."));
    }

    @Test
    void mavenVersionsBecomeOsgiVersions() {
        assertThat(SystemPackagesGenerator.osgiVersion("1.0.0-M2.1")).isEqualTo("1.0.0.M2_1");
        assertThat(SystemPackagesGenerator.osgiVersion("7.0.0")).isEqualTo("7.0.0");
        assertThat(SystemPackagesGenerator.osgiVersion("1.5")).isEqualTo("1.5.0");
        assertThat(SystemPackagesGenerator.osgiVersion("0.3.19-1.5.7")).isEqualTo("0.3.19.1_5_7");
        assertThat(SystemPackagesGenerator.osgiVersion("2.0.16-SNAPSHOT")).isEqualTo("2.0.16.SNAPSHOT");
    }

    @Test
    void aJarWithoutOsgiHeadersExportsEveryPackageWithClasses() throws IOException {
        Path jar = TestBundles.fabricate(dir.resolve("lib-4.2.jar"), Map.of("Implementation-Version", "4.2"),
                EchoTask.class);
        assertThat(SystemPackagesGenerator.exportsOf(jar))
                .containsExactly(Map.entry("org.recursa.runtime.fixtures", "4.2.0"));
    }

    @Test
    void aBundleExportsWhatItsManifestDeclares() throws IOException {
        Path jar = TestBundles.fabricate(dir.resolve("b.jar"), Map.of("Bundle-SymbolicName", "b",
                "Export-Package", "p.q;version=\"1.4\";uses:=\"r\",s;version=2"), EchoTask.class);
        assertThat(SystemPackagesGenerator.exportsOf(jar))
                .containsExactly(Map.entry("p.q", "1.4"), Map.entry("s", "2"));
    }
}
