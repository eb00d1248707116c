package org.recursa.tck.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.runtime.RecursaHost;
import org.recursa.tck.bundle.fixtures.ClashModule;
import org.recursa.tck.bundle.fixtures.CopyClashTask;
import org.recursa.tck.bundle.fixtures.EmptyModule;
import org.recursa.tck.bundle.fixtures.MirrorModule;
import org.recursa.tck.bundle.fixtures.MirrorTask;
import org.recursa.tck.bundle.fixtures.MirrorTwinTask;
import org.recursa.tck.bundle.fixtures.TrainOnlyMirrorModule;
import org.recursa.tck.bundle.fixtures.TrainOnlyMirrorTask;
import org.recursa.tck.bundle.fixtures.TwinModule;

/** Each rule of the bundle check, on real jars installed into a real host. */
class BundleConformanceTest {

    @TempDir
    Path work;

    private Path mirror(String name, String extraImports) throws IOException {
        return Bundles.plugin(work, name, extraImports, MirrorModule.class.getName(), MirrorModule.class,
                MirrorTask.class);
    }

    @Test
    void aConformingBundlePasses() throws IOException {
        Path jar = mirror("test.mirror", "");
        assertThatCode(() -> BundleConformance.verify(jar)).doesNotThrowAnyException();
        assertThat(jar).as("the jar is left where it was").exists();
    }

    @Test
    void anApiImportAtAVersionTheHostDoesNotExportNamesThePackageAndBothVersions() throws IOException {
        String exported = RecursaHost.exportedVersion("org.recursa.api.task").orElseThrow();
        Path jar = Bundles.plugin(work, "test.future", "", MirrorModule.class.getName(), MirrorModule.class,
                MirrorTask.class);
        Bundles.fabricate(jar, java.util.Map.of("Bundle-SymbolicName", "test.future", "Bundle-Version", "1.0.0",
                "Import-Package", "org.recursa.api,org.recursa.api.task;version=\"[9.0,10)\",org.recursa.api.plugin,"
                        + "com.google.inject", "Recursa-Module", MirrorModule.class.getName()),
                MirrorModule.class, MirrorTask.class);
        assertThatThrownBy(() -> BundleConformance.verify(jar)).isInstanceOf(AssertionError.class)
                .hasMessage("bundle test.future 1.0.0 cannot be resolved: it imports org.recursa.api.task (version "
                        + "[9.0.0,10.0.0)), exported at " + exported + " by the host; rebuild it against the packages "
                        + "this Recursa exports ('recursa --version' lists them)");
    }

    @Test
    void anImportNobodyExportsIsNamed() throws IOException {
        Path jar = mirror("test.lonely", ",com.example.missing;version=\"[1.0,2)\"");
        assertThatThrownBy(() -> BundleConformance.verify(jar)).isInstanceOf(AssertionError.class)
                .hasMessage("bundle test.lonely 1.0.0 cannot be resolved: it imports package com.example.missing "
                        + "(version [1.0.0,2.0.0)), which neither the host nor any installed plugin exports");
    }

    @Test
    void aModuleHeaderNamingAMissingClassIsNamed() throws IOException {
        Path jar = Bundles.plugin(work, "test.nomodule", "", "com.example.GoneModule", MirrorTask.class);
        assertThatThrownBy(() -> BundleConformance.verify(jar)).isInstanceOf(AssertionError.class)
                .hasMessage("bundle test.nomodule 1.0.0 names module class com.example.GoneModule in Recursa-Module, "
                        + "but the bundle has no such class");
    }

    @Test
    void aModuleHeaderNamingAClassThatIsNoModuleIsNamed() throws IOException {
        Path jar = Bundles.plugin(work, "test.notmodule", "", MirrorTask.class.getName(), MirrorTask.class);
        assertThatThrownBy(() -> BundleConformance.verify(jar)).isInstanceOf(AssertionError.class)
                .hasMessage("class " + MirrorTask.class.getName() + " named by Recursa-Module in bundle test.notmodule "
                        + "1.0.0 is not a Guice module; extend org.recursa.api.plugin.PluginModule");
    }

    @Test
    void aBundleWithoutAModuleHeaderRegistersNoExtension() throws IOException {
        Path jar = Bundles.plugin(work, "test.library", "", null, MirrorTask.class);
        assertThatThrownBy(() -> BundleConformance.verify(jar)).isInstanceOf(AssertionError.class)
                .hasMessage("bundle test.library 1.0.0 registers no extension: its manifest has no Recursa-Module "
                        + "header; name the plugin's PluginModule there (bnd.bnd: Recursa-Module: "
                        + "com.example.MyModule)");
    }

    @Test
    void aModuleThatBindsNothingRegistersNoExtension() throws IOException {
        Path jar = Bundles.plugin(work, "test.empty", "", EmptyModule.class.getName(), EmptyModule.class);
        assertThatThrownBy(() -> BundleConformance.verify(jar)).isInstanceOf(AssertionError.class)
                .hasMessage("bundle test.empty 1.0.0 registers no extension: its module " + EmptyModule.class.getName()
                        + " binds none; bind one in configureExtensions() with task(...), architecture(...), "
                        + "sampler(...) or compressor(...)");
    }

    @Test
    void anIdOfferedTwiceWithinTheBundleIsNamed() throws IOException {
        Path jar = Bundles.plugin(work, "test.twin", "", TwinModule.class.getName(), TwinModule.class,
                MirrorTask.class, MirrorTwinTask.class);
        assertThatThrownBy(() -> BundleConformance.verify(jar)).isInstanceOf(AssertionError.class)
                .hasMessage("bundle test.twin 1.0.0 offers two tasks with id 'mirror'; ids must be unique within a "
                        + "kind");
    }

    @Test
    void takenIdsAndFirstPartyIdsAreNamedOneLineEach() throws IOException {
        Path jar = Bundles.plugin(work, "test.clash", "", ClashModule.class.getName(), ClashModule.class,
                MirrorTask.class, CopyClashTask.class);
        assertThatThrownBy(() -> BundleConformance.verify(jar, Set.of("mirror", "echo")))
                .isInstanceOf(AssertionError.class)
                .hasMessage(String.join(System.lineSeparator(),
                        "bundle test.clash 1.0.0 offers task 'copy', the id of the first-party task of "
                                + "recursa-task-copy, so it cannot be installed beside the distribution's plugins; "
                                + "choose another id",
                        "bundle test.clash 1.0.0 offers task 'mirror', an id that is already taken (echo, mirror); "
                                + "choose another id"));
    }

    @Test
    void aTaskThatBreaksAnInstallRuleIsNamedWithTheRule() throws IOException {
        Path jar = Bundles.plugin(work, "test.trainonly", "", TrainOnlyMirrorModule.class.getName(),
                TrainOnlyMirrorModule.class, TrainOnlyMirrorTask.class, MirrorTask.class);
        assertThatThrownBy(() -> BundleConformance.verify(jar)).isInstanceOf(AssertionError.class)
                .hasMessage("bundle test.trainonly 1.0.0 is refused: task 'mirror' breaks the rule 'train and test-id "
                        + "splits present': task 'mirror' has no 'test-id' split; it declares [train]");
    }

    @Test
    void theFirstPartyIdsAreThoseOfTheDistributionBundles() {
        List<String> tasks = FirstPartyExtensions.all().stream().filter(e -> e.kind().equals("task"))
                .map(FirstPartyExtensions.Entry::id).toList();
        assertThat(tasks).contains("copy", "reverse", "addition");
        assertThat(FirstPartyExtensions.find("architecture", "universal")).get()
                .extracting(FirstPartyExtensions.Entry::bundle).isEqualTo("recursa-arch-universal");
    }

    @Test
    void aFileThatIsNotAJarIsOneLine() throws IOException {
        Path text = Files.writeString(work.resolve("notes.jar"), "not a zip");
        assertThatThrownBy(() -> BundleConformance.verify(text)).isInstanceOf(AssertionError.class)
                .hasMessage("notes.jar is not a jar file (zip END header not found); expected an OSGi bundle .jar");
    }
}
