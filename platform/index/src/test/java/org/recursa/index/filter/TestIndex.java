package org.recursa.index.filter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.TermQuery;
import org.recursa.index.IndexFields;
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
    private final Query only;

    /** An index of run-like documents, one per doc. */
    TestIndex(Path dir, List<IndexedDoc> docs, Random random) throws IOException {
        this(dir, docs, random, false);
    }

    private TestIndex(Path dir, List<IndexedDoc> docs, Random random, boolean blocks) throws IOException {
        directory = FSDirectory.open(dir);
        try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig())) {
            if (blocks) {
                addBlocks(writer, docs, random);
            } else {
                for (IndexedDoc doc : docs) {
                    writer.addDocument(doc.toDocument());
                    if (random.nextInt(40) == 0) {
                        writer.commit();
                    }
                }
            }
            writer.commit();
        }
        reader = DirectoryReader.open(directory);
        searcher = new IndexSearcher(reader);
        size = docs.size();
        only = blocks ? new TermQuery(new Term(IndexFields.TYPE, IndexFields.ARTIFACT_TYPE)) : null;
    }

    /**
     * An index of proof-artifact documents as the real index holds them: the artifacts of one run (consecutive docs
     * with the same {@code run} keyword) as one block closed by their run's document. Searches return artifacts only.
     */
    static TestIndex ofArtifacts(Path dir, List<IndexedDoc> docs, Random random) throws IOException {
        return new TestIndex(dir, docs, random, true);
    }

    private static void addBlocks(IndexWriter writer, List<IndexedDoc> docs, Random random) throws IOException {
        List<Document> block = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            block.add(docs.get(i).toArtifactDocument());
            boolean last = i + 1 == docs.size()
                    || !docs.get(i + 1).keywords().get("run").equals(docs.get(i).keywords().get("run"));
            if (last) {
                block.add(docs.get(i).runDocument());
                writer.addDocuments(block);
                block.clear();
                if (random.nextInt(3) == 0) {
                    writer.commit();
                }
            }
        }
    }

    /** The ids of the documents {@code query} matches. */
    Set<Integer> ids(Query query) throws IOException {
        return new TreeSet<>(ordered(searcher.search(restrict(query), Math.max(1, size))));
    }

    /** The ids of the documents {@code query} matches, in {@code sort} order. */
    List<Integer> sorted(Query query, Sort sort) throws IOException {
        return ordered(searcher.search(restrict(query), Math.max(1, size), sort));
    }

    private Query restrict(Query query) {
        return only == null ? query : new BooleanQuery.Builder().add(only, BooleanClause.Occur.FILTER)
                .add(query, BooleanClause.Occur.FILTER).build();
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
