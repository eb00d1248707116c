package org.recursa.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.recursa.cli.CliFixtures.fabricate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.cli.fixtures.SessionGreedyModule;
import org.recursa.cli.fixtures.SessionGreedySampler;

/** {@code recursa plugin update}: what it prints and its exit codes, with a real host and fabricated bundles. */
class PluginUpdateTest {

    private static final String IMPORTS = "org.recursa.api;version=\"[1.0,2)\","
            + "org.recursa.api.decode;version=\"[1.0,2)\",org.recursa.api.model;version=\"[1.0,2)\","
            + "org.recursa.api.plugin;version=\"[1.0,2)\",com.google.inject";

    @TempDir
    Path home;

    @TempDir
    Path work;

    @BeforeEach
    void installVersion100() throws IOException {
        TestDistribution.install(work.resolve("distribution"));
        assertThat(run("plugin", "install", sampler("1.0.0", "").toString()).code()).isZero();
    }

    @AfterEach
    void clearDistribution() {
        TestDistribution.uninstall();
    }

    @Test
    void anUpdatePrintsBothVersionsAndTheExtensionsOnOneLine() throws IOException {
        TestDistribution.Result result = run("plugin", "update", sampler("1.1.0", "").toString());
        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("updated test.session-greedy 1.0.0 -> 1.1.0: sampler session-greedy\n");
    }

    @Test
    void aFailedUpdateIsOneLineExitOneAndLeavesTheStoreAsItWas() throws IOException {
        List<String> before = CliFixtures.snapshot(home.resolve("plugins"));
        TestDistribution.Result result = run("plugin", "update",
                sampler("1.1.0", ",com.example.missing").toString());
        assertThat(result.code()).isEqualTo(1);
        assertThat(result.err().lines()).containsExactly("recursa: bundle test.session-greedy 1.1.0 cannot be "
                + "resolved: it imports package com.example.missing, which neither the host nor any installed plugin "
                + "exports");
        assertThat(CliFixtures.snapshot(home.resolve("plugins"))).isEqualTo(before);
    }

    @Test
    void usageErrorsExitTwo() throws IOException {
        TestDistribution.Result byIdAlone = run("plugin", "update", "session-greedy");
        assertThat(byIdAlone.code()).as("by id alone it updates from the catalogs, and none is configured here")
                .isEqualTo(1);
        assertThat(byIdAlone.err()).isEqualTo("recursa: no catalog is configured; add one with 'recursa catalog add "
                + "URL --key KEY.pub'\n");
        TestDistribution.Result twoIds = run("plugin", "update", "session-greedy", "other");
        assertThat(twoIds.code()).isEqualTo(2);
        assertThat(twoIds.err()).startsWith("recursa: 'other' is not a jar file: pass an id to update from the "
                + "catalogs, or an id and the new jar");

        TestDistribution.Result same = run("plugin", "update", sampler("1.0.0", "").toString());
        assertThat(same.code()).isEqualTo(2);
        assertThat(same.err()).startsWith("recursa: bundle test.session-greedy 1.0.0 is already installed;");
        assertThat(run("plugin", "update", "--force", sampler("1.0.0", "").toString()).code()).isZero();

        TestDistribution.Result unknown = run("plugin", "update", "nope", sampler("1.2.0", "").toString());
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("recursa: no installed plugin offers an extension or is a bundle "
                + "named 'nope'; installed: ");
    }

    private TestDistribution.Result run(String... args) {
        String[] withHome = new String[args.length + 2];
        withHome[0] = "--home";
        withHome[1] = home.toString();
        System.arraycopy(args, 0, withHome, 2, args.length);
        return TestDistribution.run(withHome);
    }

    private Path sampler(String version, String extraImports) throws IOException {
        return fabricate(work.resolve("session-greedy-" + version + extraImports.length() + ".jar"), Map.of(
                "Bundle-SymbolicName", "test.session-greedy", "Bundle-Version", version,
                "Import-Package", IMPORTS + extraImports, "Recursa-Module", SessionGreedyModule.class.getName()),
                SessionGreedyModule.class, SessionGreedySampler.class);
    }
}
