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
import org.recursa.cli.fixtures.TrainOnlyModule;
import org.recursa.cli.fixtures.TrainOnlyTask;

/** {@code recursa plugin install} refuses a plugin that breaks an install check: one line, exit 1, store unchanged. */
class PluginInstallChecksTest {

    @TempDir
    Path home;

    @TempDir
    Path work;

    @BeforeEach
    void distribution() throws IOException {
        TestDistribution.install(work.resolve("distribution"));
    }

    @AfterEach
    void clearDistribution() {
        TestDistribution.uninstall();
    }

    @Test
    void aTaskWithoutATestIdSplitIsRefusedNamingTheRule() throws IOException {
        assertThat(run("plugin", "list").code()).isZero();
        List<String> before = CliFixtures.snapshot(home.resolve("plugins"));
        Path jar = fabricate(work.resolve("train-only.jar"), Map.of(
                "Bundle-SymbolicName", "test.train-only", "Bundle-Version", "1.0.0",
                "Import-Package", "org.recursa.api,org.recursa.api.task,org.recursa.api.plugin,com.google.inject",
                "Recursa-Module", TrainOnlyModule.class.getName()), TrainOnlyModule.class, TrainOnlyTask.class);

        TestDistribution.Result result = run("plugin", "install", jar.toString());

        assertThat(result.code()).isEqualTo(1);
        assertThat(result.err().lines()).containsExactly("recursa: bundle test.train-only 1.0.0 is refused: task "
                + "'train-only' breaks the rule 'train and test-id splits present': task 'train-only' has no 'test-id' "
                + "split; it declares [train]");
        assertThat(CliFixtures.snapshot(home.resolve("plugins"))).as("plugins/ byte for byte").isEqualTo(before);
    }

    private TestDistribution.Result run(String... args) {
        String[] withHome = new String[args.length + 2];
        withHome[0] = "--home";
        withHome[1] = home.toString();
        System.arraycopy(args, 0, withHome, 2, args.length);
        return TestDistribution.run(withHome);
    }
}
