package org.recursa.index.filter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/** A real on-disk index of {@link IndexedDoc}s, committed in a few random batches so it has several segments. */
final class TestIndex implements AutoCloseable {

    private final Directory directory;
    private final DirectoryReader reader;
    private final IndexSearcher searcher;
    private final int size;

    TestIndex(Path dir, List<IndexedDoc> docs, Random random) throws IOException {
        directory = FSDirectory.open(dir);
        try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig())) {
            for (IndexedDoc doc : docs) {
                writer.addDocument(doc.toDocument());
                if (random.nextInt(40) == 0) {
                    writer.commit();
                }
            }
            writer.commit();
        }
        reader = DirectoryReader.open(directory);
        searcher = new IndexSearcher(reader);
        size = docs.size();
    }

    /** The ids of the documents {@code query} matches. */
    Set<Integer> ids(Query query) throws IOException {
        return new TreeSet<>(ordered(searcher.search(query, Math.max(1, size))));
    }

    /** The ids of the documents {@code query} matches, in {@code sort} order. */
    List<Integer> sorted(Query query, Sort sort) throws IOException {
        return ordered(searcher.search(query, Math.max(1, size), sort));
    }

    int segments() {
        return reader.leaves().size();
    }

    private List<Integer> ordered(TopDocs top) throws IOException {
        List<Integer> ids = new ArrayList<>();
        for (ScoreDoc hit : top.scoreDocs) {
            ids.add(searcher.storedFields().document(hit.doc).getField("id").numericValue().intValue());
        }
        return ids;
    }

    @Override
    public void close() throws IOException {
        reader.close();
        directory.close();
    }
}
