package org.recursa.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The files of the served repositories a client may fetch: each repository's index.xml, catalog.json,
 * catalog.json.sig and jars/*.jar, and nothing else (a key or stray file left in the directory is never served).
 * A path never leaves its repository: {@code ..}, empty or dotted segments, backslashes and symbolic links that
 * lead outside are refused.
 */
final class StaticFiles {

    private static final Pattern TOP = Pattern.compile("index\\.xml|catalog\\.json|catalog\\.json\\.sig");
    private static final Pattern JAR = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*\\.jar");

    private final Map<String, Repository> repositories;

    StaticFiles(Map<String, Repository> repositories) {
        this.repositories = repositories;
    }

    /** The file for {@code /repo/<name>/<rest>}, given the path after {@code /repo/}; empty if none may be served. */
    Optional<Path> resolve(String path) {
        String[] segments = path.split("/", -1);
        for (String segment : segments) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || segment.contains("\\")
                    || segment.indexOf('\0') >= 0) {
                return Optional.empty();
            }
        }
        Repository repository = repositories.get(segments[0]);
        if (repository == null) {
            return Optional.empty();
        }
        boolean allowed = segments.length == 2 && TOP.matcher(segments[1]).matches()
                || segments.length == 3 && segments[1].equals("jars") && JAR.matcher(segments[2]).matches();
        if (!allowed) {
            return Optional.empty();
        }
        Path root = repository.root();
        Path file = root.resolve(String.join("/", Arrays.copyOfRange(segments, 1, segments.length)))
                .normalize();
        if (!file.startsWith(root) || !Files.isRegularFile(file) || !inside(root, file)) {
            return Optional.empty();
        }
        return Optional.of(file);
    }

    /** The file's real location (links followed) is still inside the repository's real directory. */
    private static boolean inside(Path root, Path file) {
        try {
            return file.toRealPath().startsWith(root.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }

    static String contentType(Path file) {
        String name = file.getFileName().toString();
        if (name.endsWith(".json")) {
            return "application/json";
        } else if (name.endsWith(".xml")) {
            return "application/xml";
        } else if (name.endsWith(".jar")) {
            return "application/java-archive";
        }
        return "text/plain; charset=utf-8";
    }
}
