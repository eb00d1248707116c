package org.recursa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recursa.repository.CatalogJson;

/**
 * {@code recursa bench catalog} at a small size: the real server answers every search, and the three-bundle chain
 * made with bnd installs through the command line, dependencies first. The figures are printed, never asserted.
 */
class BenchCatalogCommandTest {

    @TempDir
    Path dir;

    @Test
    void searchesTheSyntheticCatalogAndInstallsTheChain() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"bench", "catalog", "--plugins", "300", "--warmup", "5", "--requests", "30",
            "--installs", "1", "--dir", dir.toString()}, new PrintWriter(out, true), new PrintWriter(err, true));

        assertThat(code).as(out + "\n" + err).isZero();
        assertThat(out.toString()).contains("search: 300 synthetic plugin entries (seed 18)", "30 GET /api/search",
                "p50 ", "p99 ", "install of A with B and C: median ");
        assertThat(CatalogJson.read(dir.resolve("search-repository")).plugins()).hasSize(300);
        assertThat(CatalogJson.read(dir.resolve("install-repository")).plugins())
                .extracting(p -> p.bundle() + " requires " + p.requires())
                .containsExactly("bench.chain.a requires [bench.chain.b]", "bench.chain.b requires [bench.chain.c]",
                        "bench.chain.c requires []");
        assertThat(out.toString()).contains("bench.chain.c 1.0.0", "bench.chain.b 1.0.0", "bench.chain.a 1.0.0")
                .containsPattern("installed bench\\.chain\\.a 1\\.0\\.0.*task bench-chain");
    }

    @Test
    void negativeCountsAreAUsageError() {
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"bench", "catalog", "--installs", "-1", "--dir", dir.toString()},
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString().lines()).hasSize(1);
        assertThat(err.toString()).startsWith("recursa: --plugins and --requests must be positive");
    }
}
