package org.recursa.catalog;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * A repository's catalog.json as the server reads it: only the fields it serves; unknown fields are ignored, so a
 * newer writer does not break an older server. Signature checks are the client's job, not the server's.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record CatalogFile(int format, String name, long version, String expires, List<Plugin> plugins) {

    /** One bundle version in the repository and the metadata its manifest carried. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Plugin(String bundle, String version, String path, String sha256, long size, String name, String summary,
                  String description, List<String> authors, String license, String homepage, List<String> keywords,
                  Paper paper, String api, List<Extension> extensions, List<String> requires) {

        Plugin {
            authors = authors == null ? List.of() : List.copyOf(authors);
            keywords = keywords == null ? List.of() : List.copyOf(keywords);
            extensions = extensions == null ? List.of() : List.copyOf(extensions);
            requires = requires == null ? List.of() : List.copyOf(requires);
        }
    }

    /** An extension the bundle registers: its kind (architecture, task, sampler, compressor) and id. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Extension(String kind, String id, String description) {
    }

    /** The paper a plugin implements. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Paper(String title, String url) {
    }

    CatalogFile {
        plugins = plugins == null ? List.of() : List.copyOf(plugins);
    }
}
