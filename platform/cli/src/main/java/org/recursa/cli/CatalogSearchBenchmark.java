package org.recursa.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.recursa.catalog.CatalogServer;
import org.recursa.repository.Catalog;
import org.recursa.repository.CatalogJson;
import org.recursa.repository.RepositoryFiles;
import org.recursa.repository.RepositoryLayout;

/**
 * Search latency of the real catalog server over a synthetic repository: a catalog.json of N plugin entries drawn
 * from a fixed seed (varied names, summaries, descriptions, keywords, kinds, licenses and authors), served on the
 * loopback address, warmed up, then timed one {@code GET /api/search} at a time over a fixed mix of queries. The
 * repository holds catalog.json only: search reads the metadata, never the jars, so no jar is written.
 */
final class CatalogSearchBenchmark {

    private static final String[] WORDS = ("recursion recursive depth router routing token mixture expert loop looped "
            + "universal transformer attention layer shared weights adaptive halting ponder sampler beam greedy "
            + "temperature nucleus compressor pruning quantisation distillation tying lora relaxed sliced block "
            + "prelude coda latent reasoning arithmetic parity copy sorting algorithmic graph tree traversal "
            + "sequence memory state recurrent gated residual normalisation position rotary alibi sparse dense "
            + "cache prefill decoding early exit curriculum length generalisation induction retrieval").split(" ");
    private static final String[] KINDS = {"architecture", "task", "sampler", "compressor"};
    private static final String[] LICENSES = {"Apache-2.0", "MIT", "BSD-3-Clause", "EPL-2.0", "MPL-2.0", null};
    private static final String[] FIRST = {"Ada", "Alan", "Barbara", "Claude", "Donald", "Edsger", "Frances",
        "Grace", "John", "Katherine", "Leslie", "Margaret", "Niklaus", "Radia", "Tony", "Yoshua"};
    private static final String[] LAST = {"Lovelace", "Turing", "Liskov", "Shannon", "Knuth", "Dijkstra", "Allen",
        "Hopper", "McCarthy", "Johnson", "Lamport", "Hamilton", "Wirth", "Perlman", "Hoare", "Bengio"};

    private CatalogSearchBenchmark() {
    }

    /** The timed figures. */
    record Result(int plugins, long catalogBytes, double startMillis, int requests, double p50, double p90,
            double p99, double max) {
    }

    static Result run(Path dir, int plugins, int warmup, int requests, long seed, PrintWriter out)
            throws IOException, InterruptedException {
        Path repo = Files.createDirectories(dir.resolve("search-repository"));
        List<Catalog.Plugin> entries = writeCatalog(repo, plugins, seed);
        long bytes = Files.size(repo.resolve(RepositoryLayout.CATALOG));
        out.printf(Locale.ROOT, "search: %,d synthetic plugin entries (seed %d) in %s (%,d bytes; metadata only, "
                + "no jars)%n", plugins, seed, repo.resolve(RepositoryLayout.CATALOG), bytes);
        out.flush();
        long start = System.nanoTime();
        try (CatalogServer server = CatalogServer.start(List.of(repo), "127.0.0.1", 0)) {
            double startMillis = (System.nanoTime() - start) / 1e6;
            out.printf(Locale.ROOT, "  server start (read catalog.json, build the Lucene index, listen): %.0f ms%n",
                    startMillis);
            List<URI> mix = queries(server.uri(), entries);
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (int i = 0; i < warmup; i++) {
                get(client, mix.get(i % mix.size()));
            }
            double[] millis = new double[requests];
            List<List<Double>> perQuery = new ArrayList<>();
            mix.forEach(q -> perQuery.add(new ArrayList<>()));
            for (int i = 0; i < requests; i++) {
                URI uri = mix.get(i % mix.size());
                long t0 = System.nanoTime();
                get(client, uri);
                millis[i] = (System.nanoTime() - t0) / 1e6;
                perQuery.get(i % mix.size()).add(millis[i]);
            }
            Arrays.sort(millis);
            Result result = new Result(plugins, bytes, startMillis, requests, percentile(millis, 50),
                    percentile(millis, 90), percentile(millis, 99), millis[millis.length - 1]);
            out.printf(Locale.ROOT, "  %,d GET /api/search after %,d warm-up, one at a time over %d queries "
                    + "(client-side, loopback HTTP/1.1 keep-alive):%n", requests, warmup, mix.size());
            out.printf(Locale.ROOT, "  p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms%n", result.p50(),
                    result.p90(), result.p99(), result.max());
            out.println("  p50 per query:");
            for (int q = 0; q < mix.size(); q++) {
                double[] sorted = perQuery.get(q).stream().mapToDouble(Double::doubleValue).sorted().toArray();
                out.printf(Locale.ROOT, "    %7.2f ms  %s%n", percentile(sorted, 50), mix.get(q).getRawQuery());
            }
            out.flush();
            return result;
        }
    }

    /** Single words, two words, typos, kind facets, an exact extension id and an exact bundle name. */
    private static List<URI> queries(URI base, List<Catalog.Plugin> entries) {
        String id = entries.get(1234 % entries.size()).extensions().get(0).id();
        String bundle = entries.get(4321 % entries.size()).bundle();
        List<String> query = new ArrayList<>(List.of("q=recursion", "q=attention", "q=sampler",
                "q=" + enc("depth router"), "q=" + enc("looped transformer"), "q=recursoin", "q=atention",
                "q=routing&kind=architecture", "kind=task", "q=" + enc(id), "q=" + enc(bundle)));
        return query.stream().map(q -> base.resolve("/api/search?" + q)).toList();
    }

    private static void get(HttpClient client, URI uri) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(uri).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException(uri + " answered " + response.statusCode() + ": "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
    }

    /** Writes catalog.json; returns its entries. */
    private static List<Catalog.Plugin> writeCatalog(Path repo, int plugins, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Catalog.Plugin> entries = new ArrayList<>(plugins);
        for (int i = 0; i < plugins; i++) {
            String a = word(random);
            String b = word(random);
            String kind = KINDS[random.nextInt(KINDS.length)];
            String id = a + "-" + b + "-" + i;
            String bsn = bundle(i, a);
            String version = "1." + random.nextInt(4) + "." + random.nextInt(10);
            String summary = capital(sentence(random, 6 + random.nextInt(6))) + ".";
            String description = summary + " " + capital(sentence(random, 12 + random.nextInt(12))) + ".";
            List<String> authors = new ArrayList<>();
            for (int n = 1 + random.nextInt(2); n > 0; n--) {
                authors.add(FIRST[random.nextInt(FIRST.length)] + " " + LAST[random.nextInt(LAST.length)]);
            }
            List<String> keywords = new ArrayList<>();
            for (int n = 2 + random.nextInt(4); n > 0; n--) {
                keywords.add(word(random));
            }
            entries.add(new Catalog.Plugin(bsn, version, RepositoryLayout.jarPath(bsn, version), "0".repeat(64),
                    10_000 + random.nextInt(90_000), capital(a) + " " + capital(b), summary, description, authors,
                    LICENSES[random.nextInt(LICENSES.length)], "https://example.org/" + bsn, keywords, null,
                    "[1.0,2)", List.of(new Catalog.Extension(kind, id, summary)), List.of()));
        }
        Catalog catalog = new Catalog(Catalog.FORMAT, "bench-search", 1, null,
                new Catalog.Index(RepositoryLayout.INDEX, "0".repeat(64)), entries);
        RepositoryFiles.writeAtomically(repo.resolve(RepositoryLayout.CATALOG), CatalogJson.bytes(catalog));
        return entries;
    }

    private static String bundle(int i, String word) {
        return String.format(Locale.ROOT, "org.bench.%s.p%05d", word, i);
    }

    private static String word(SplittableRandom random) {
        return WORDS[random.nextInt(WORDS.length)];
    }

    private static String sentence(SplittableRandom random, int words) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < words; i++) {
            text.append(i == 0 ? "" : " ").append(word(random));
        }
        return text.toString();
    }

    private static String capital(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
