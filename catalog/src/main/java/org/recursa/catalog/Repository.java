package org.recursa.catalog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.recursa.repository.Catalog;
import org.recursa.repository.CatalogJson;
import org.recursa.repository.RepositoryFiles;
import org.recursa.repository.RepositoryLayout;

/**
 * One repository directory the server serves, under {@code /repo/<name>/}, where name is catalog.json's
 * {@code name}: a mirror (a copy of the directory) is served under the same path as its origin. catalog.json is read
 * by the repository module ({@link CatalogJson}: the format's one owner, with its size limit); signature checks are
 * the client's job, not the server's.
 */
record Repository(String name, Path root, Catalog catalog) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** Reads {@code dir}/catalog.json; fails with one line saying what is wrong with it. */
    static Repository open(Path dir) {
        Path root = dir.toAbsolutePath().normalize();
        Path file = root.resolve(RepositoryLayout.CATALOG);
        if (!Files.isRegularFile(file)) {
            throw new CatalogException(root + " is not a catalog repository: it has no " + RepositoryLayout.CATALOG);
        }
        Catalog catalog;
        try {
            catalog = CatalogJson.read(root);
        } catch (org.recursa.repository.CatalogException e) {
            throw new CatalogException(root + ": " + e.getMessage(), e);
        }
        if (catalog.name() == null || !NAME.matcher(catalog.name()).matches()) {
            throw new CatalogException(file + " has name '" + catalog.name()
                    + "'; expected letters, digits, '.', '_' or '-' (it names the repository in URLs)");
        }
        for (Catalog.Plugin plugin : catalog.plugins()) {
            if (plugin.bundle() == null || plugin.version() == null) {
                throw new CatalogException(file + " lists a plugin without bundle or version");
            }
            try {
                // the page links each version's jar by this path: it must name a file of this repository
                RepositoryFiles.resolveInside(root, plugin.path());
            } catch (org.recursa.repository.CatalogException e) {
                throw new CatalogException(root + ": " + plugin.bundle() + " " + plugin.version() + ": "
                        + e.getMessage(), e);
            }
        }
        return new Repository(catalog.name(), root, catalog);
    }
}
