package org.recursa.index.filter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoublePredicate;
import java.util.function.Predicate;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.DoubleDocValuesField;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.StoredField;
import org.recursa.index.IndexFields;

/**
 * A test document in plain Java: numbers and keyword lists by key. {@link #toDocument()} stores it through
 * {@link IndexFields}; the helpers evaluate clauses the way a filter should, for expected results.
 */
record IndexedDoc(int id, Map<String, Double> numbers, Map<String, List<String>> keywords) {

    IndexedDoc {
        numbers = Map.copyOf(numbers);
        keywords = Map.copyOf(keywords);
    }

    /** The Lucene document, with the id stored; keywords of run keys sortable, as on run documents. */
    Document toDocument() {
        Document doc = new Document();
        doc.add(new StoredField("id", id));
        numbers.forEach((key, value) -> IndexFields.addNumber(doc, key, value));
        keywords.forEach((key, values) -> values.forEach(v -> {
            if (key.startsWith("params.") || key.startsWith("tags.") || key.startsWith("attributes.")) {
                IndexFields.addSortableKeyword(doc, key, v);
            } else {
                IndexFields.addKeyword(doc, key, v);
            }
        }));
        return doc;
    }

    /**
     * The document as the index stores a proof artifact: its own keys indexed, its run's keys ({@code run.*}) left to
     * the run document of its block ({@link #runDocument()}) but for the numbers, kept as sort values.
     */
    Document toArtifactDocument() {
        Document doc = new Document();
        doc.add(new StoredField("id", id));
        doc.add(new StringField(IndexFields.TYPE, IndexFields.ARTIFACT_TYPE, Field.Store.NO));
        numbers.forEach((key, value) -> {
            if (key.startsWith("run.")) {
                doc.add(new DoubleDocValuesField(IndexFields.numberField(key), IndexFields.normalise(value)));
            } else {
                IndexFields.addNumber(doc, key, value);
            }
        });
        keywords.forEach((key, values) -> {
            if (!key.startsWith("run.")) {
                values.forEach(v -> IndexFields.addKeyword(doc, key, v));
            }
        });
        return doc;
    }

    /** The run document that closes this artifact's block: its {@code run.*} keys without the {@code run.} prefix. */
    Document runDocument() {
        Document doc = new Document();
        doc.add(new StringField(IndexFields.TYPE, IndexFields.RUN_TYPE, Field.Store.NO));
        numbers.forEach((key, value) -> {
            if (key.startsWith("run.")) {
                IndexFields.addNumber(doc, key.substring("run.".length()), value);
            }
        });
        keywords.forEach((key, values) -> {
            if (key.startsWith("run.")) {
                values.forEach(v -> IndexFields.addSortableKeyword(doc, key.substring("run.".length()), v));
            }
        });
        return doc;
    }

    /** Whether the document has a value for {@code key}. */
    boolean has(String key) {
        return numbers.containsKey(key) || keywords.containsKey(key);
    }

    /** The smallest keyword of {@code key} (code-point order), or null. */
    String smallest(String key) {
        return keywords.getOrDefault(key, List.of()).stream().min(String::compareTo).orElse(null);
    }

    Double number(String key) {
        return numbers.get(key);
    }

    /** A numeric clause: false when the key is missing. */
    boolean num(String key, DoublePredicate test) {
        Double value = numbers.get(key);
        return value != null && test.test(value);
    }

    /** A positive string clause: some value passes; false when the key is missing. */
    boolean any(String key, Predicate<String> test) {
        return keywords.getOrDefault(key, List.of()).stream().anyMatch(test);
    }

    /** A negative string clause ({@code !=}, {@code NOT IN}): the key is present and no value passes. */
    boolean none(String key, Predicate<String> test) {
        List<String> values = keywords.getOrDefault(key, List.of());
        return !values.isEmpty() && values.stream().noneMatch(test);
    }

    /** Builds documents key by key. */
    static final class Builder {
        private final int id;
        private final Map<String, Double> numbers = new LinkedHashMap<>();
        private final Map<String, List<String>> keywords = new LinkedHashMap<>();

        Builder(int id) {
            this.id = id;
        }

        Builder number(String key, Double value) {
            if (value != null) {
                numbers.put(key, value);
            }
            return this;
        }

        Builder keyword(String key, String... values) {
            if (values.length > 0 && values[0] != null) {
                keywords.put(key, List.of(values));
            }
            return this;
        }

        IndexedDoc build() {
            return new IndexedDoc(id, numbers, keywords);
        }
    }

    @Override
    public String toString() {
        return "#" + id + " " + numbers + " " + keywords;
    }
}
