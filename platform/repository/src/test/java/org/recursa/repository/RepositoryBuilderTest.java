package org.recursa.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepositoryBuilderTest {

    @TempDir
    Path tmp;

    @Test
    void buildsJarsIndexAndCatalogFromManifests() throws Exception {
        Path out = tmp.resolve("repo");
        Catalog catalog = new RepositoryBuilder("example").build(TestBundles.twoBundles(tmp.resolve("in")),
                Map.of("org.example.looped", List.of(new Catalog.Extension("architecture", "looped", "a loop"))), out);

        assertThat(out.resolve("jars/org.example.base-1.2.0.jar")).isRegularFile();
        assertThat(out.resolve("jars/org.example.looped-1.2.0.jar")).isRegularFile();
        assertThat(catalog.version()).isZero();
        assertThat(catalog.expires()).isNull();
        assertThat(catalog.index().sha256()).isEqualTo(RepositoryFiles.sha256(out.resolve("index.xml")));
        assertThat(CatalogJson.read(out)).isEqualTo(catalog);

        Catalog.Plugin looped = catalog.plugins().get(1);
        assertThat(looped.bundle()).isEqualTo("org.example.looped");
        assertThat(looped.path()).isEqualTo("jars/org.example.looped-1.2.0.jar");
        assertThat(looped.sha256()).isEqualTo(RepositoryFiles.sha256(out.resolve(looped.path())));
        assertThat(looped.size()).isEqualTo(Files.size(out.resolve(looped.path())));
        assertThat(looped.summary()).isEqualTo("A looped transformer.");
        assertThat(looped.authors()).containsExactly("Ada Example", "Bob Example");
        assertThat(looped.keywords()).containsExactly("recursion", "looping", "weight sharing");
        assertThat(looped.paper()).isEqualTo(new Catalog.Paper("Looped Transformers, again",
                "https://arxiv.org/abs/0000.00000"));
        assertThat(looped.homepage()).isEqualTo("https://example.org/looped");
        assertThat(looped.api()).isEqualTo("[1.0,2)");
        assertThat(looped.requires()).containsExactly("org.example.base");
        assertThat(looped.extensions()).containsExactly(new Catalog.Extension("architecture", "looped", "a loop"));

        Catalog.Plugin base = catalog.plugins().get(0);
        assertThat(base.license()).isEqualTo("Apache-2.0");
        assertThat(base.authors()).containsExactly("Example");
        assertThat(base.requires()).isEmpty();
        assertThat(base.paper()).isNull();
    }

    @Test
    void indexIsBndsR7XmlWithRelativeContentUrlsAndHashes() throws Exception {
        Path out = tmp.resolve("repo");
        Catalog catalog = new RepositoryBuilder("example").build(TestBundles.twoBundles(tmp.resolve("in")), Map.of(),
                out);
        String xml = Files.readString(out.resolve("index.xml"), StandardCharsets.UTF_8);
        assertThat(xml).contains("xmlns=\"http://www.osgi.org/xmlns/repository/v1.0.0\"")
                .contains("name=\"example\"")
                .contains("namespace=\"osgi.content\"")
                .contains("value=\"jars/org.example.looped-1.2.0.jar\"")
                .contains("namespace=\"osgi.wiring.package\"");
        for (Catalog.Plugin plugin : catalog.plugins()) {
            // bnd writes the hash in upper case; the catalog in lower case, as sha256sum does.
            assertThat(xml).contains("value=\"" + plugin.sha256().toUpperCase(java.util.Locale.ROOT) + "\"");
        }
    }

    @Test
    void rebuildingKeepsTheSignedVersionSoSigningCountsOn() throws Exception {
        Path in = TestBundles.twoBundles(tmp.resolve("in"));
        Path out = tmp.resolve("repo");
        new RepositoryBuilder("example").build(in, Map.of(), out);
        new CatalogSigner(Ed25519Keys.generate()).sign(out, java.time.Duration.ofDays(1), java.time.Instant.now());
        new CatalogSigner(Ed25519Keys.generate()).sign(out, java.time.Duration.ofDays(1), java.time.Instant.now());
        assertThat(new RepositoryBuilder("example").build(in, Map.of(), out).version()).isEqualTo(2);
    }

    @Test
    void jarsAlreadyInTheOutputAreIndexedInPlaceNotCopied() throws Exception {
        Path out = tmp.resolve("repo");
        Catalog first = new RepositoryBuilder("example").build(TestBundles.twoBundles(tmp.resolve("in")), Map.of(),
                out);
        Path jar = out.resolve("jars/org.example.base-1.2.0.jar");
        Object inode = Files.readAttributes(jar, java.nio.file.attribute.BasicFileAttributes.class).fileKey();

        Catalog again = new RepositoryBuilder("example").build(out.resolve("jars"), Map.of(), out);

        assertThat(Files.readAttributes(jar, java.nio.file.attribute.BasicFileAttributes.class).fileKey())
                .as("the same file, not a copy").isEqualTo(inode);
        assertThat(again.plugins()).isEqualTo(first.plugins());
    }

    @Test
    void theLockFileIsASiblingSoAMirrorNeverCarriesIt() throws Exception {
        Path out = tmp.resolve("repo");
        new RepositoryBuilder("example").build(TestBundles.twoBundles(tmp.resolve("in")), Map.of(), out);
        try (var files = Files.list(out)) {
            List<String> before = files.map(p -> p.getFileName().toString()).sorted().toList();
            String held = RepositoryLock.holding(out, () -> "held");
            assertThat(held).isEqualTo("held");
            assertThat(RepositoryLock.file(out)).isEqualTo(tmp.toRealPath().resolve(".repo.lock")).isRegularFile();
            try (var after = Files.list(out)) {
                assertThat(after.map(p -> p.getFileName().toString()).sorted().toList()).isEqualTo(before);
            }
        }
        assertThat(RepositoryLock.holding(out, () -> RepositoryLock.holding(tmp.resolve("in"), () -> 2)))
                .as("two repositories lock independently").isEqualTo(2);
    }

    @Test
    void refusesAJarThatIsNoBundle() throws Exception {
        Path in = tmp.resolve("in");
        Files.createDirectories(in);
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(in.resolve("plain.jar")))) {
            out.putNextEntry(new java.util.jar.JarEntry("x.txt"));
        }
        assertThatThrownBy(() -> new RepositoryBuilder("x").build(in, Map.of(), tmp.resolve("repo")))
                .isInstanceOf(CatalogException.class)
                .hasMessageEndingWith("plain.jar: not an OSGi bundle (no Bundle-SymbolicName)");
    }

    @Test
    void theSummaryIsTheFirstSentenceNotAnAbbreviationOrAParenthesis() {
        assertThat(BundleMetadata.summary("A prelude and a coda (Huginn, Geiping et al. 2025). Trained with a "
                + "sampled depth.")).isEqualTo("A prelude and a coda (Huginn, Geiping et al. 2025).");
        assertThat(BundleMetadata.summary("Tasks on trees, e.g. traversals. And more.")).isEqualTo(
                "Tasks on trees, e.g. traversals.");
        assertThat(BundleMetadata.summary("One sentence only.")).isEqualTo("One sentence only.");
        assertThat(BundleMetadata.summary(null)).isNull();
    }
}
