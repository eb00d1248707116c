package org.recursa.repository;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * {@code catalog.json}: the one signed file of a repository. {@code version} grows with every signing (clients refuse
 * a lower one than they saw) and {@code expires} (ISO-8601 instant) bounds how long a signed catalog is believed.
 * Readers ignore fields they do not know, so the format can grow.
 *
 * @param format  the format version, {@link #FORMAT}
 * @param name    the repository's name
 * @param version the signing counter; 0 before the first signing
 * @param expires when clients stop believing this catalog; null before the first signing
 * @param index   the OSGi index and its SHA-256
 * @param plugins one entry per bundle in {@code jars/}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Catalog(int format, String name, long version, String expires, Index index, List<Plugin> plugins) {

    /** The format this code writes and reads. */
    public static final int FORMAT = 1;

    public Catalog {
        plugins = plugins == null ? List.of() : List.copyOf(plugins);
    }

    /** This catalog with another version and expiry, as signing sets them. */
    public Catalog signedAs(long newVersion, String newExpires, Index newIndex) {
        return new Catalog(format, name, newVersion, newExpires, newIndex, plugins);
    }

    /**
     * The repository's OSGi R7 index.
     *
     * @param path   relative to the repository, {@code index.xml}
     * @param sha256 lower-case hex
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Index(String path, String sha256) {
    }

    /**
     * One bundle of the repository.
     *
     * @param bundle      its symbolic name
     * @param version     its OSGi version
     * @param path        the jar, relative to the repository ({@code jars/<bsn>-<version>.jar})
     * @param sha256      the jar's SHA-256, lower-case hex
     * @param size        the jar's size in bytes
     * @param name        Bundle-Name
     * @param summary     the first sentence of Bundle-Description
     * @param description Bundle-Description
     * @param authors     Bundle-Developers, else Bundle-Vendor
     * @param license     Bundle-License
     * @param homepage    Bundle-DocURL
     * @param keywords    Recursa-Keywords
     * @param paper       Recursa-Paper, if the bundle implements one
     * @param api         the version range of the Recursa API it imports
     * @param extensions  what it registers in a host
     * @param requires    the symbolic names of other bundles of the repository whose packages it imports
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Plugin(String bundle, String version, String path, String sha256, long size, String name,
            String summary, String description, List<String> authors, String license, String homepage,
            List<String> keywords, Paper paper, String api, List<Extension> extensions, List<String> requires) {

        public Plugin {
            authors = authors == null ? List.of() : List.copyOf(authors);
            keywords = keywords == null ? List.of() : List.copyOf(keywords);
            extensions = extensions == null ? List.of() : List.copyOf(extensions);
            requires = requires == null ? List.of() : List.copyOf(requires);
        }
    }

    /** The paper a plugin implements. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Paper(String title, String url) {
    }

    /**
     * One extension a plugin registers.
     *
     * @param kind        its kind's label: architecture, task, sampler, compressor
     * @param id          its id
     * @param description its one-line description
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Extension(String kind, String id, String description) {
    }
}
