package org.recursa.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The Recursa build this process runs: its version, and the git commit it was built from, embedded at build time
 * ({@code META-INF/recursa/build.properties} by resource filtering, {@code META-INF/recursa/git.properties} by
 * git-commit-id-maven-plugin). A build from a source tree without git metadata has no commit: it reads as
 * {@link #UNKNOWN}.
 *
 * @param version    the Recursa version, e.g. {@code 0.1.0}
 * @param commit     the full commit id, or {@link #UNKNOWN}
 * @param commitTime the commit's time (ISO-8601, UTC), or null when unknown
 * @param dirty      whether the working tree had uncommitted changes when it was built, or null when unknown
 */
public record RecursaBuild(String version, String commit, String commitTime, Boolean dirty) {

    /** A fact the build did not record. */
    public static final String UNKNOWN = "unknown";

    static final String BUILD = "/META-INF/recursa/build.properties";
    static final String GIT = "/META-INF/recursa/git.properties";

    private static final RecursaBuild CURRENT = new RecursaBuild(read(BUILD), read(GIT));

    private RecursaBuild(Properties build, Properties git) {
        this(value(build, "version"), value(git, "git.commit.id"), git.getProperty("git.commit.time"),
                git.containsKey("git.dirty") ? Boolean.valueOf(git.getProperty("git.dirty")) : null);
    }

    /** The build of the running Recursa. */
    public static RecursaBuild current() {
        return CURRENT;
    }

    /**
     * One line for people: {@code 0.1.0 (commit 52f1172d9a4b, with uncommitted changes)}; the commit abbreviated to
     * 12 digits.
     */
    public String describe() {
        if (commit.equals(UNKNOWN)) {
            return version + " (commit unknown)";
        }
        String abbreviated = commit.substring(0, Math.min(12, commit.length()));
        return version + " (commit " + abbreviated + (Boolean.TRUE.equals(dirty) ? ", with uncommitted changes" : "")
                + ")";
    }

    private static String value(Properties properties, String key) {
        String value = properties.getProperty(key);
        // An unfiltered ${...} placeholder means the resource was copied without the build's filtering.
        return value == null || value.isBlank() || value.startsWith("${") ? UNKNOWN : value.trim();
    }

    private static Properties read(String resource) {
        Properties properties = new Properties();
        try (InputStream in = RecursaBuild.class.getResourceAsStream(resource)) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource + " from the runtime jar", e);
        }
        return properties;
    }
}
