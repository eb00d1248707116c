package org.recursa.index;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.DoubleDocValuesField;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.SortedSetDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.util.BytesRef;

/**
 * How every index document (a run or a proof artifact) stores its filterable keys, so that the filter
 * translation in {@code org.recursa.index.filter} and the indexer agree on field names.
 *
 * <p>A key {@code K} is the canonical key text of the filter grammar: {@code metrics.seq_acc_ood},
 * {@code params.arch}, {@code tags.note}, {@code attributes.status} on run documents; {@code task},
 * {@code carry_chain}, {@code run.params.arch} on artifact documents. Each key is stored as
 * <ul>
 *   <li>a keyword: {@code s:K} holds the exact value and {@code l:K} its lower-cased copy (for {@code ILIKE});
 *       a document may hold several values for one keyword key, and {@code =} then matches any of them;</li>
 *   <li>or a number: {@code n:K} holds one double as a {@link DoublePoint} (for comparisons) and as a
 *       {@link DoubleDocValuesField} of the same name (for sorting); one number per key per document;</li>
 *   <li>and in both cases the term {@code K} in the field {@value #HAS}.</li>
 * </ul>
 * A keyword key can also be sortable ({@link #addSortableKeyword}): {@code o:K} then holds its values as
 * {@link SortedSetDocValuesField}s, which an order-by sorts on (by the smallest value of the document). Run
 * documents make their params, tags and string attributes sortable; artifact documents have no {@code o:} fields.
 * An artifact document does not repeat its run's keys: its block's run document holds them, and it keeps only
 * the numeric doc values {@code n:run.metrics.*} and {@code n:run.attributes.*} to be sorted by them.
 *
 * <p>Why {@value #HAS}: in SQL, and so in MLflow, a comparison with a value the row does not have is not
 * true, including {@code params.arch != 'mor'} and {@code NOT IN}. A Lucene {@code MUST_NOT} clause alone would
 * match every document lacking the key; the filter translation therefore requires {@code has:K} next to the
 * negated clause, so that a clause on a missing key is false whatever the operator.
 *
 * <p>Conventions the indexer keeps: a key is keyword-valued or numeric-valued in every document, never both
 * ({@value #HAS} does not say which; this class rejects mixing within one document); a number is one double
 * (integers too). Numbers are normalised so that queries and sorting agree: {@code -0.0} is stored as
 * {@code 0.0}, infinities as {@code ±Double.MAX_VALUE} (they stay the extremes of every comparison, and the
 * infinities remain free to sort missing values after every stored value), and {@code NaN} is rejected: it has
 * no order and no equality, so the indexer leaves the key out, which makes every clause on it false.
 */
public final class IndexFields {

    /** Keyword field holding what a document is: {@link #RUN_TYPE} or {@link #ARTIFACT_TYPE}. */
    public static final String TYPE = "doc_type";
    /** The {@link #TYPE} of a run document, which closes the block of its run's artifact documents. */
    public static final String RUN_TYPE = "run";
    /** The {@link #TYPE} of a proof-artifact document. */
    public static final String ARTIFACT_TYPE = "artifact";
    /** Field holding, as terms, the keys a document has a value for. */
    public static final String HAS = "has";
    /** Prefix of the fields holding exact keyword values. */
    public static final String KEYWORD_PREFIX = "s:";
    /** Prefix of the fields holding lower-cased keyword values. */
    public static final String LOWERCASE_PREFIX = "l:";
    /** Prefix of the sorted-set doc-values fields of sortable keyword keys. */
    public static final String SORT_PREFIX = "o:";
    /** Prefix of the fields holding numeric values (points and doc values). */
    public static final String NUMBER_PREFIX = "n:";

    private IndexFields() {
    }

    /** The field of the exact keyword values of {@code key}: {@code "s:" + key}. */
    public static String keywordField(String key) {
        return KEYWORD_PREFIX + checkKey(key);
    }

    /** The field of the lower-cased ({@link Locale#ROOT}) keyword values of {@code key}: {@code "l:" + key}. */
    public static String lowercaseField(String key) {
        return LOWERCASE_PREFIX + checkKey(key);
    }

    /** The point and doc-values field of the numeric value of {@code key}: {@code "n:" + key}. */
    public static String numberField(String key) {
        return NUMBER_PREFIX + checkKey(key);
    }

    /** The sorted-set doc-values field of a sortable keyword key: {@code "o:" + key}. */
    public static String sortField(String key) {
        return SORT_PREFIX + checkKey(key);
    }

    /** The lower-cased form of a keyword value or pattern, as stored in {@link #lowercaseField}. */
    public static String lowercase(String value) {
        return value.toLowerCase(Locale.ROOT);
    }

    /**
     * Adds one keyword value of {@code key}; call again to add further values of the same key.
     *
     * @throws IllegalArgumentException if the key is empty or the document already has a number for it
     */
    public static void addKeyword(Document doc, String key, String value) {
        Objects.requireNonNull(value, "value");
        if (doc.getField(numberField(key)) != null) {
            throw new IllegalArgumentException("key '" + key + "' already has a number in this document; a key"
                    + " holds keywords or a number, not both");
        }
        doc.add(new StringField(keywordField(key), value, Field.Store.NO));
        doc.add(new StringField(lowercaseField(key), lowercase(value), Field.Store.NO));
        addHas(doc, key);
    }

    /**
     * As {@link #addKeyword}, and adds the value to the sort field {@code o:K} so that an order-by can sort on the
     * key.
     */
    public static void addSortableKeyword(Document doc, String key, String value) {
        addKeyword(doc, key, value);
        doc.add(new SortedSetDocValuesField(sortField(key), new BytesRef(value)));
    }

    /**
     * Adds the numeric value of {@code key}, normalised as the class comment says.
     *
     * @throws IllegalArgumentException if the key is empty, the value is NaN, or the document already has a
     *                                  number or a keyword for the key
     */
    public static void addNumber(Document doc, String key, double value) {
        if (Double.isNaN(value)) {
            throw new IllegalArgumentException("NaN cannot be indexed for key '" + key
                    + "': leave the key out of the document");
        }
        String field = numberField(key);
        if (doc.getField(field) != null) {
            throw new IllegalArgumentException("key '" + key + "' already has a number in this document; a"
                    + " document holds one number per key");
        }
        if (doc.getField(keywordField(key)) != null) {
            throw new IllegalArgumentException("key '" + key + "' already has a keyword in this document; a key"
                    + " holds keywords or a number, not both");
        }
        double stored = normalise(value);
        doc.add(new DoublePoint(field, stored));
        doc.add(new DoubleDocValuesField(field, stored));
        addHas(doc, key);
    }

    /**
     * The value {@link #addNumber} stores for {@code value}: {@code -0.0} becomes {@code 0.0}, infinities become
     * {@code ±Double.MAX_VALUE}, NaN stays NaN (and is rejected by {@code addNumber}).
     */
    public static double normalise(double value) {
        if (value == 0.0) {
            return 0.0;
        }
        if (value == Double.POSITIVE_INFINITY) {
            return Double.MAX_VALUE;
        }
        if (value == Double.NEGATIVE_INFINITY) {
            return -Double.MAX_VALUE;
        }
        return value;
    }

    private static void addHas(Document doc, String key) {
        if (!Arrays.asList(doc.getValues(HAS)).contains(key)) {
            doc.add(new StringField(HAS, key, Field.Store.NO));
        }
    }

    /**
     * Adds keys to one document with the same rules as {@link #addKeyword} and {@link #addNumber}, checked
     * against a map of the keys added so far instead of a scan of the document: the indexer adds hundreds of
     * keys per document, and the scans made building a document quadratic in its size.
     */
    public static final class Builder {

        private final Document doc;
        private final java.util.Map<String, Boolean> numeric = new java.util.HashMap<>();

        /** Adds to {@code doc}, which must not hold any key yet. */
        public Builder(Document doc) {
            this.doc = doc;
        }

        /** As {@link IndexFields#addKeyword}. */
        public Builder keyword(String key, String value) {
            Objects.requireNonNull(value, "value");
            Boolean number = numeric.putIfAbsent(checkKey(key), false);
            if (number != null && number) {
                throw new IllegalArgumentException("key '" + key + "' already has a number in this document; a key"
                        + " holds keywords or a number, not both");
            }
            doc.add(new StringField(keywordField(key), value, Field.Store.NO));
            doc.add(new StringField(lowercaseField(key), lowercase(value), Field.Store.NO));
            if (number == null) {
                doc.add(new StringField(HAS, key, Field.Store.NO));
            }
            return this;
        }

        /** As {@link IndexFields#addSortableKeyword}. */
        public Builder sortableKeyword(String key, String value) {
            keyword(key, value);
            doc.add(new SortedSetDocValuesField(sortField(key), new BytesRef(value)));
            return this;
        }

        /** As {@link IndexFields#addNumber}. */
        public Builder number(String key, double value) {
            if (Double.isNaN(value)) {
                throw new IllegalArgumentException("NaN cannot be indexed for key '" + key
                        + "': leave the key out of the document");
            }
            Boolean previous = numeric.putIfAbsent(checkKey(key), true);
            if (previous != null) {
                throw new IllegalArgumentException("key '" + key + "' already has " + (previous ? "a number" : "a keyword")
                        + " in this document; a document holds one number per key, and a key holds keywords or a "
                        + "number, not both");
            }
            String field = numberField(key);
            double stored = normalise(value);
            doc.add(new DoublePoint(field, stored));
            doc.add(new DoubleDocValuesField(field, stored));
            doc.add(new StringField(HAS, key, Field.Store.NO));
            return this;
        }
    }

    private static String checkKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("an index key must not be empty");
        }
        return key;
    }
}
