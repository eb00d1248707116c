package org.recursa.catalog;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * One repository directory the server serves, under {@code /repo/<name>/}, where name is catalog.json's
 * {@code name}: a mirror (a copy of the directory) is served under the same path as its origin.
 */
record Repository(String name, Path root, CatalogFile catalog) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, false);

    /** Reads {@code dir}/catalog.json; fails with one line saying what is wrong with it. */
    static Repository open(Path dir) {
        Path root = dir.toAbsolutePath().normalize();
        Path file = root.resolve("catalog.json");
        if (!Files.isRegularFile(file)) {
            throw new CatalogException(root + " is not a catalog repository: it has no catalog.json");
        }
        CatalogFile catalog;
        try {
            catalog = JSON.readValue(file.toFile(), CatalogFile.class);
        } catch (IOException e) {
            throw new CatalogException(file + " is not valid catalog JSON: "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (catalog.format() != 1) {
            throw new CatalogException(file + " has format " + catalog.format() + "; this server reads format 1");
        }
        if (catalog.name() == null || !NAME.matcher(catalog.name()).matches()) {
            throw new CatalogException(file + " has name '" + catalog.name()
                    + "'; expected letters, digits, '.', '_' or '-' (it names the repository in URLs)");
        }
        for (CatalogFile.Plugin plugin : catalog.plugins()) {
            if (plugin.bundle() == null || plugin.version() == null) {
                throw new CatalogException(file + " lists a plugin without bundle or version");
            }
        }
        return new Repository(catalog.name(), root, catalog);
    }
}
