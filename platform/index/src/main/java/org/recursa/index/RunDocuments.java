package org.recursa.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.DoubleDocValuesField;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.recursa.runstore.ArtifactFile;
import org.recursa.runstore.DamagedRunException;

/**
 * Builds the Lucene documents of one run: one document per proof artifact and one run document (params, metrics,
 * tags, attributes), indexed together as one block with the run document last ({@link #block}), so that an
 * artifact filter's {@code run.*} clauses are answered on the run document and joined to its artifacts
 * (org.recursa.index.filter.FilterQueries). Every document has the run's id in {@link #RUN}, so re-indexing a run
 * replaces all of them. Field encoding: {@link IndexFields}.
 */
public final class RunDocuments {

    /** Keyword field holding the run id on every document of a run. */
    public static final String RUN = "run_key";
    /** {@code run} or {@code artifact}. */
    public static final String TYPE = IndexFields.TYPE;
    /** Stored JSON shown by search results. */
    public static final String SOURCE = "_source";

    private static final ObjectMapper JSON = new ObjectMapper();

    private RunDocuments() {
    }

    /** The run's own document. */
    public static Document run(RunSummary run) {
        Document doc = base(run.id(), IndexFields.RUN_TYPE);
        IndexFields.Builder fields = new IndexFields.Builder(doc);
        run.params().forEach((k, v) -> fields.sortableKeyword("params." + k, v));
        metrics(fields, "metrics.", run);
        run.tags().forEach((k, v) -> fields.sortableKeyword("tags." + k, v));
        attributes(fields, "attributes.", run);
        doc.add(new StoredField(SOURCE, json(source(run))));
        return doc;
    }

    /**
     * Streams the artifact documents of a run's artifact files to {@code sink}, one record at a time (a split file
     * can hold thousands of examples).
     *
     * @throws DamagedRunException when a line is not JSON
     */
    public static void artifacts(RunSummary run, Collection<ArtifactFile> files, Consumer<Document> sink) {
        for (ArtifactFile file : files) {
            file.forEach((record, line) -> sink.accept(artifact(run, record, line)));
        }
    }

    static Document artifact(RunSummary run, JsonNode record, String line) {
        Document doc = base(run.id(), IndexFields.ARTIFACT_TYPE);
        IndexFields.Builder fields = new IndexFields.Builder(doc);
        for (String key : List.of("task", "arch", "mode", "split", "example", "verdict")) {
            if (record.hasNonNull(key)) {
                fields.keyword(key, record.get(key).asText());
            }
        }
        fields.keyword("run", run.id());
        number(fields, "token_acc", record.get("token_acc"));
        number(fields, "first_error", record.get("first_error"));
        Iterator<Map.Entry<String, JsonNode>> features = record.path("features").fields();
        while (features.hasNext()) {
            Map.Entry<String, JsonNode> feature = features.next();
            number(fields, feature.getKey(), feature.getValue());
        }
        JsonNode trace = record.path("trace_check");
        if (trace.isObject()) {
            number(fields, "first_invalid_step", trace.get("first_invalid_step"));
            number(fields, "valid_steps", trace.get("valid_steps"));
            number(fields, "predicted_steps", trace.get("predicted_steps"));
            if (trace.hasNonNull("expected_rule")) {
                fields.keyword("expected_rule", trace.get("expected_rule").asText());
                fields.keyword("expected_position", trace.path("expected_position").asText());
            }
            fields.keyword("reaches_answer", trace.path("reaches_answer").asText());
        }
        JsonNode depth = record.path("depth");
        if (depth.isObject()) {
            number(fields, "depth_mean", depth.get("mean"));
            number(fields, "depth_max", depth.get("max"));
            number(fields, "depth_output_mean", depth.get("output_mean"));
        }
        runSortKeys(doc, run);
        doc.add(new StoredField(SOURCE, line));
        return doc;
    }

    /**
     * The run's numbers as sort values only. Filters on an artifact's run ({@code run.params.arch = 'mor'}) are
     * answered on the run document that closes the run's block, so artifacts do not repeat the run's ~50 keys as
     * indexed fields (which made them three times larger and a rebuild twice as slow); ordering artifacts by a run
     * number ({@code run.metrics.seq_acc_ood DESC}) still needs the value on each artifact, as a doc value.
     */
    private static void runSortKeys(Document doc, RunSummary run) {
        run.metrics().forEach((k, v) -> {
            if (!v.isNaN()) {
                doc.add(new DoubleDocValuesField(IndexFields.numberField("run.metrics." + k),
                        IndexFields.normalise(v)));
            }
        });
        run.attributes().forEach((name, value) -> {
            if (value instanceof Number number) {
                doc.add(new DoubleDocValuesField(IndexFields.numberField("run.attributes." + name),
                        IndexFields.normalise(number.doubleValue())));
            }
        });
    }

    /** A diverged run can have a NaN loss: a key without a number is left out, so filters on it are false. */
    private static void metrics(IndexFields.Builder fields, String prefix, RunSummary run) {
        run.metrics().forEach((k, v) -> {
            if (!v.isNaN()) {
                fields.number(prefix + k, v);
            }
        });
    }

    private static Document base(String runId, String type) {
        Document doc = new Document();
        doc.add(new StringField(RUN, runId, Field.Store.YES));
        doc.add(new StringField(TYPE, type, Field.Store.NO));
        return doc;
    }

    /**
     * The attributes under {@code prefix}, string attributes sortable. The status
     * is stored lower-case, as the run store writes it, so that it sorts the same whatever case a status file has;
     * filters compare it ignoring case.
     */
    private static void attributes(IndexFields.Builder fields, String prefix, RunSummary run) {
        run.attributes().forEach((name, value) -> {
            if (value instanceof Number number) {
                fields.number(prefix + name, number.doubleValue());
                return;
            }
            String text = name.equals("status") ? IndexFields.lowercase(String.valueOf(value)) : String.valueOf(value);
            fields.sortableKeyword(prefix + name, text);
        });
    }

    private static void number(IndexFields.Builder fields, String key, JsonNode value) {
        if (value != null && value.isNumber() && !Double.isNaN(value.asDouble())) {
            fields.number(key, value.asDouble());
        }
    }

    /** What {@code recursa runs search} shows of a run. */
    static Map<String, Object> source(RunSummary run) {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("run_id", run.id());
        source.put("status", run.status());
        source.put("task", run.task());
        source.put("arch", run.arch());
        source.put("start_time", run.startTime());
        if (run.endTime() >= 0) {
            source.put("end_time", run.endTime());
        }
        if (run.reason() != null) {
            source.put("reason", run.reason());
        }
        source.put("params", run.params());
        source.put("metrics", run.metrics());
        source.put("tags", run.tags());
        return source;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The block of a run's documents, as the index must add them: its artifacts, then the run document. */
    public static List<Document> block(RunSummary run, Collection<ArtifactFile> files) {
        List<Document> docs = new ArrayList<>();
        artifacts(run, files, docs::add);
        docs.add(run(run));
        return docs;
    }
}
