package org.recursa.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.facet.FacetResult;
import org.apache.lucene.facet.FacetsCollector;
import org.apache.lucene.facet.FacetsCollectorManager;
import org.apache.lucene.facet.FacetsConfig;
import org.apache.lucene.facet.LabelAndValue;
import org.apache.lucene.facet.sortedset.DefaultSortedSetDocValuesReaderState;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetCounts;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetField;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesReaderState;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.BytesRef;
import org.recursa.repository.Catalog;

/**
 * An in-memory Lucene index of the catalog, one document per bundle (its newest version), built once at start.
 * Free text runs over name, summary, description, keywords, extension ids and the bundle name; every word must
 * match, exactly, as a prefix or within one or two edits (typo tolerance). A query that is exactly an extension id
 * or a bundle symbolic name puts that plugin first.
 */
final class SearchIndex implements AutoCloseable {

    static final int PAGE_SIZE = 20;
    /** Above any text score, so an exact id or bundle match always ranks first. */
    private static final float EXACT_BOOST = 1000f;
    private static final Map<String, Float> TEXT_FIELDS = Map.of(
            "name", 3f, "keywords", 2f, "ext_text", 2f, "summary", 1.5f, "description", 1f, "bundle_text", 1f);
    private static final String[] FACETS = {"kind", "license", "author"};

    private final ServedCatalog catalog;
    private final Analyzer analyzer = new StandardAnalyzer();
    private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
    private final FacetsConfig facetsConfig = new FacetsConfig();
    private final DirectoryReader reader;
    private final IndexSearcher searcher;
    private final SortedSetDocValuesReaderState facetState;

    SearchIndex(ServedCatalog catalog) {
        this.catalog = catalog;
        for (String facet : FACETS) {
            facetsConfig.setMultiValued(facet, true);
        }
        try {
            try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(analyzer))) {
                for (CatalogEntry entry : catalog.entries()) {
                    writer.addDocument(facetsConfig.build(document(entry)));
                }
            }
            reader = DirectoryReader.open(directory);
            searcher = new IndexSearcher(reader);
            // an index without documents has no facet field at all
            facetState = catalog.entries().isEmpty() ? null
                    : new DefaultSortedSetDocValuesReaderState(reader, facetsConfig);
        } catch (IOException e) {
            throw new UncheckedIOException("could not build the catalog's search index in memory", e);
        }
    }

    private static Document document(CatalogEntry entry) {
        Catalog.Plugin plugin = entry.latest();
        Document doc = new Document();
        doc.add(new StringField("bundle", plugin.bundle(), Field.Store.YES));
        doc.add(new StringField("bundle_exact", plugin.bundle().toLowerCase(Locale.ROOT), Field.Store.NO));
        doc.add(new SortedDocValuesField("bundle_sort", new BytesRef(plugin.bundle())));
        doc.add(new TextField("bundle_text", plugin.bundle().replaceAll("[._-]", " "), Field.Store.NO));
        text(doc, "name", plugin.name());
        text(doc, "summary", plugin.summary());
        text(doc, "description", plugin.description());
        text(doc, "keywords", String.join(" ", plugin.keywords()));
        for (Catalog.Extension extension : plugin.extensions()) {
            doc.add(new StringField("ext_exact", extension.id().toLowerCase(Locale.ROOT), Field.Store.NO));
            doc.add(new TextField("ext_text", extension.id().replaceAll("[._-]", " "), Field.Store.NO));
            doc.add(new StringField("kind", extension.kind(), Field.Store.NO));
            doc.add(new SortedSetDocValuesFacetField("kind", extension.kind()));
        }
        if (plugin.license() != null && !plugin.license().isBlank()) {
            doc.add(new SortedSetDocValuesFacetField("license", plugin.license()));
        }
        plugin.authors().stream().filter(a -> !a.isBlank()).distinct()
                .forEach(author -> doc.add(new SortedSetDocValuesFacetField("author", author)));
        return doc;
    }

    private static void text(Document doc, String field, String value) {
        if (value != null) {
            doc.add(new TextField(field, value, Field.Store.NO));
        }
    }

    SearchResult search(SearchRequest request) {
        Query matching = request.text().isEmpty() ? new MatchAllDocsQuery() : query(request.text());
        Query filtered = request.kind()
                .<Query>map(kind -> new BooleanQuery.Builder().add(matching, Occur.MUST)
                        .add(new TermQuery(new Term("kind", kind)), Occur.FILTER).build())
                .orElse(matching);
        try {
            Sort order = new Sort(SortField.FIELD_SCORE, new SortField("bundle_sort", SortField.Type.STRING));
            int upTo = request.page() * PAGE_SIZE;
            FacetsCollectorManager.FacetsResult result =
                    FacetsCollectorManager.search(searcher, filtered, upTo, order, true, new FacetsCollectorManager());
            List<SearchResult.Hit> hits = new ArrayList<>();
            TopDocs top = result.topDocs();
            for (int i = (request.page() - 1) * PAGE_SIZE; i < top.scoreDocs.length; i++) {
                hits.add(hit(top.scoreDocs[i]));
            }
            Map<String, Map<String, Integer>> facets = new LinkedHashMap<>();
            // kind counts ignore the kind filter, so the page can offer the other kinds of the same query
            FacetsCollector unfiltered = request.kind().isEmpty() ? result.facetsCollector()
                    : searcher.search(matching, new FacetsCollectorManager());
            facets.put("kind", counts(unfiltered, "kind"));
            facets.put("license", counts(result.facetsCollector(), "license"));
            facets.put("author", counts(result.facetsCollector(), "author"));
            return new SearchResult(searcher.count(filtered), request.page(), PAGE_SIZE, hits, facets);
        } catch (IOException e) {
            throw new UncheckedIOException("the catalog's in-memory index could not be read", e);
        }
    }

    private SearchResult.Hit hit(ScoreDoc scoreDoc) throws IOException {
        String bundle = searcher.storedFields().document(scoreDoc.doc).get("bundle");
        CatalogEntry entry = catalog.bundle(bundle).orElseThrow();
        Catalog.Plugin plugin = entry.latest();
        float score = scoreDoc instanceof org.apache.lucene.search.FieldDoc field && field.fields[0] instanceof Float f
                ? f : scoreDoc.score;
        return new SearchResult.Hit(bundle, plugin.version(), plugin.name(), plugin.summary(),
                List.copyOf(entry.kinds()), entry.extensionIds(), plugin.license(), score);
    }

    private Map<String, Integer> counts(FacetsCollector collector, String dimension) throws IOException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        if (facetState != null && facetState.getPrefixToOrdRange().containsKey(dimension)) {
            FacetResult result = new SortedSetDocValuesFacetCounts(facetState, collector)
                    .getTopChildren(100, dimension);
            if (result != null) {
                for (LabelAndValue value : result.labelValues) {
                    counts.put(value.label, value.value.intValue());
                }
            }
        }
        return counts;
    }

    /** Exact id or bundle first, then every word of the text somewhere (exactly, as a prefix or nearly). */
    private Query query(String text) {
        String exact = text.toLowerCase(Locale.ROOT);
        BooleanQuery.Builder top = new BooleanQuery.Builder();
        top.add(new BoostQuery(new ConstantScoreQuery(new BooleanQuery.Builder()
                .add(new TermQuery(new Term("ext_exact", exact)), Occur.SHOULD)
                .add(new TermQuery(new Term("bundle_exact", exact)), Occur.SHOULD).build()), EXACT_BOOST),
                Occur.SHOULD);
        List<String> words = words(text);
        if (!words.isEmpty()) {
            BooleanQuery.Builder all = new BooleanQuery.Builder();
            for (String word : words) {
                all.add(word(word), Occur.MUST);
            }
            top.add(all.build(), Occur.SHOULD);
        }
        return words.isEmpty() && exact.isEmpty() ? new MatchNoDocsQuery("no words") : top.build();
    }

    private static Query word(String word) {
        BooleanQuery.Builder any = new BooleanQuery.Builder();
        TEXT_FIELDS.forEach((field, boost) -> {
            Term term = new Term(field, word);
            any.add(new BoostQuery(new TermQuery(term), boost), Occur.SHOULD);
            if (word.length() >= 3) {
                any.add(new BoostQuery(new PrefixQuery(term), boost * 0.5f), Occur.SHOULD);
            }
            if (word.length() >= 4) {
                int edits = word.length() >= 8 ? 2 : 1;
                any.add(new BoostQuery(new FuzzyQuery(term, edits, 1), boost * 0.3f), Occur.SHOULD);
            }
        });
        return any.build();
    }

    private List<String> words(String text) {
        List<String> words = new ArrayList<>();
        try (TokenStream tokens = analyzer.tokenStream("name", text.replaceAll("[._-]", " "))) {
            CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
            tokens.reset();
            while (tokens.incrementToken()) {
                words.add(term.toString());
            }
            tokens.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return words;
    }

    @Override
    public void close() throws IOException {
        reader.close();
        directory.close();
        analyzer.close();
    }
}
