package org.recursa.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fabricates catalog repositories on disk in the agreed layout (index.xml, jars/, catalog.json, catalog.json.sig).
 * The index and signature are placeholders with known bytes: the server serves them without reading them.
 */
final class Repositories {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;
    private final String name;
    private final List<Map<String, Object>> plugins = new ArrayList<>();

    private Repositories(Path root, String name) {
        this.root = root;
        this.name = name;
    }

    static Repositories at(Path root, String name) {
        return new Repositories(root, name);
    }

    /** A plugin entry; {@code extensions} alternates kind and id. */
    Repositories plugin(String bundle, String version, String pluginName, String summary, String description,
                        List<String> keywords, String license, List<String> authors, List<String> requires,
                        String... extensions) {
        Map<String, Object> plugin = new LinkedHashMap<>();
        plugin.put("bundle", bundle);
        plugin.put("version", version);
        plugin.put("path", "jars/" + bundle + "-" + version + ".jar");
        plugin.put("sha256", "00".repeat(32));
        plugin.put("size", 4);
        plugin.put("name", pluginName);
        plugin.put("summary", summary);
        plugin.put("description", description);
        plugin.put("authors", authors);
        plugin.put("license", license);
        plugin.put("homepage", "https://example.org/" + bundle);
        plugin.put("keywords", keywords);
        plugin.put("paper", Map.of("title", pluginName + ": the paper", "url", "https://arxiv.org/abs/" + bundle));
        plugin.put("api", "[1.0,2)");
        List<Map<String, String>> list = new ArrayList<>();
        for (int i = 0; i < extensions.length; i += 2) {
            list.add(Map.of("kind", extensions[i], "id", extensions[i + 1], "description", "the " + extensions[i + 1]));
        }
        plugin.put("extensions", list);
        plugin.put("requires", requires);
        plugin.put("a-future-field", "readers ignore it");
        plugins.add(plugin);
        return this;
    }

    /** Writes the directory and returns it. */
    Path write() throws IOException {
        Files.createDirectories(root.resolve("jars"));
        for (Map<String, Object> plugin : plugins) {
            Files.writeString(root.resolve((String) plugin.get("path")), "jar:" + plugin.get("bundle"));
        }
        Files.writeString(root.resolve("index.xml"), "<repository name='" + name + "'/>\n");
        Map<String, Object> catalog = new LinkedHashMap<>();
        catalog.put("format", 1);
        catalog.put("name", name);
        catalog.put("version", 7);
        catalog.put("expires", "2027-05-30T00:00:00Z");
        catalog.put("index", Map.of("path", "index.xml", "sha256", "11".repeat(32)));
        catalog.put("plugins", plugins);
        Files.write(root.resolve("catalog.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(catalog));
        Files.writeString(root.resolve("catalog.json.sig"), "ed25519 0123456789abcdef c2lnbmF0dXJl\n",
                StandardCharsets.US_ASCII);
        return root;
    }

    /** The first-party-like catalog most tests search. */
    static Path firstParty(Path root) throws IOException {
        return at(root, "first-party")
                .plugin("org.recursa.plugins.mor", "0.2.0", "Mixture-of-Recursions",
                        "Routes each token through its own number of recursions.",
                        "Mixture-of-Recursions learns per-token recursion depth with a router.",
                        List.of("recursion", "routing"), "Apache-2.0", List.of("Recursa"),
                        List.of("org.recursa.plugins.universal"), "architecture", "mor")
                .plugin("org.recursa.plugins.universal", "0.1.0", "Universal Transformer",
                        "One shared layer applied again and again.",
                        "The Universal Transformer applies a shared block recurrently; more mor mor mor text.",
                        List.of("recursion", "weight sharing"), "Apache-2.0", List.of("Recursa"), List.of(),
                        "architecture", "universal")
                .plugin("org.recursa.plugins.tasks.recursion", "0.1.0", "Recursion tasks",
                        "Parity and Dyck languages.", "Tasks whose solutions need recursion.",
                        List.of("tasks"), "MIT", List.of("Recursa", "A. Author"), List.of(),
                        "task", "parity", "task", "dyck")
                .plugin("org.recursa.plugins.greedy", "0.1.0", "Greedy sampler", "Takes the most likely token.",
                        "Greedy decoding.", List.of("decoding"), "Apache-2.0", List.of("Recursa"), List.of(),
                        "sampler", "greedy")
                .plugin("org.recursa.plugins.tying", "0.1.0", "Layer tying", "Ties the layers of a model.",
                        "Compresses a model by tying its layers.", List.of("compression"), "BSD-3-Clause",
                        List.of("B. Author"), List.of("org.recursa.plugins.missing"), "compressor", "layer-tying")
                .write();
    }
}
