package org.recursa.catalog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.recursa.repository.RepositoryFiles;
import org.recursa.repository.RepositoryLayout;

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
        int slash = path.indexOf('/');
        Repository repository = slash < 0 ? null : repositories.get(path.substring(0, slash));
        if (repository == null) {
            return Optional.empty();
        }
        String rest = path.substring(slash + 1);
        boolean allowed = TOP.matcher(rest).matches() || rest.startsWith(RepositoryLayout.JARS + "/")
                && JAR.matcher(rest.substring(RepositoryLayout.JARS.length() + 1)).matches();
        if (!allowed) {
            return Optional.empty();
        }
        Path file;
        try {
            // the repository module's check: no '..', '.', empty or backslashed segment, no link that leads outside
            file = RepositoryFiles.resolveInside(repository.root(), rest);
        } catch (org.recursa.repository.CatalogException e) {
            return Optional.empty();
        }
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
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
