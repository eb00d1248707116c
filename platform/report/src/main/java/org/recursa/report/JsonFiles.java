package org.recursa.report;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the JSON documents of a run directory and turns every way they can be wrong into one line,
 * {@code <path>: <what is wrong>}, thrown as {@link IllegalArgumentException}. The readers of the individual files
 * use it so that their messages all look alike.
 */
final class JsonFiles {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS) // NaN and Infinity, as Jackson may write them
            .build();

    private JsonFiles() {
    }

    /** One JSON document; {@code missingHint} is appended to the message when the file does not exist. */
    static JsonNode readDocument(Path file, String missingHint) {
        String text = readText(file, missingHint);
        if (text.isBlank()) {
            throw problem(file, "empty file");
        }
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw problem(file, describe(e, true));
        }
    }

    /** A JSON Lines file: one object per non-blank line, each parsed on its own. */
    static List<Line> readLines(Path file, String missingHint) {
        requireFile(file, missingHint);
        List<Line> records = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int lineNumber = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode record;
                try {
                    record = MAPPER.readTree(line);
                } catch (JsonProcessingException e) {
                    throw problem(file, "line " + lineNumber + ": " + describe(e, false));
                }
                if (!record.isObject()) {
                    throw problem(file, "line " + lineNumber + ": not a JSON object");
                }
                records.add(new Line(lineNumber, record));
            }
        } catch (IOException e) {
            throw problem(file, "cannot be read (" + e + ")");
        }
        return records;
    }

    /** The exception for a problem with {@code file}: {@code <file>: <what>}. */
    static IllegalArgumentException problem(Path file, String what) {
        return new IllegalArgumentException(file + ": " + what);
    }

    /** The node at a dotted path such as {@code task.id}, or a missing node. */
    static JsonNode at(JsonNode root, String dottedPath) {
        JsonNode node = root;
        for (String name : dottedPath.split("\\.")) {
            node = node.path(name);
        }
        return node;
    }

    /**
     * Typed access to the fields of one document, failing with {@code <file>: <where>field 'a.b' is missing} (or
     * "is not a number", ...); {@code where} is empty for a whole file and {@code "line N: "} for a JSON Lines record,
     * {@code prefix} names the enclosing object of nested reads.
     */
    record Fields(Path file, String where, String prefix) {

        static Fields of(Path file) {
            return new Fields(file, "", "");
        }

        static Fields ofLine(Path file, int lineNumber) {
            return new Fields(file, "line " + lineNumber + ": ", "");
        }

        /** The same file, for a nested object: field names in messages start with {@code path.}. */
        Fields inside(String path) {
            return new Fields(file, where, prefix + path + ".");
        }

        String text(JsonNode root, String dottedPath) {
            JsonNode node = at(root, dottedPath);
            if (!node.isTextual()) {
                throw wrong(dottedPath, node, "a string");
            }
            return node.asText();
        }

        double number(JsonNode root, String dottedPath) {
            JsonNode node = at(root, dottedPath);
            if (node.isNumber()) {
                return node.asDouble();
            }
            if (node.isTextual() && (node.asText().equals("NaN") || node.asText().endsWith("Infinity"))) {
                return Double.parseDouble(node.asText()); // Jackson's spelling of non-finite doubles
            }
            throw wrong(dottedPath, node, "a number");
        }

        int integer(JsonNode root, String dottedPath) {
            JsonNode node = at(root, dottedPath);
            if (!node.isIntegralNumber() || !node.canConvertToInt()) {
                throw wrong(dottedPath, node, "an integer");
            }
            return node.asInt();
        }

        JsonNode object(JsonNode root, String dottedPath) {
            JsonNode node = at(root, dottedPath);
            if (!node.isObject()) {
                throw wrong(dottedPath, node, "an object");
            }
            return node;
        }

        IllegalArgumentException problem(String what) {
            return JsonFiles.problem(file, where + what);
        }

        private IllegalArgumentException wrong(String dottedPath, JsonNode node, String expected) {
            String name = prefix + dottedPath;
            return problem(node.isMissingNode() || node.isNull()
                    ? "field '" + name + "' is missing"
                    : "field '" + name + "' is not " + expected);
        }
    }

    /**
     * One record of a JSON Lines file.
     *
     * @param number line number, from 1
     * @param node   the parsed object
     */
    record Line(int number, JsonNode node) {
    }

    private static String readText(Path file, String missingHint) {
        requireFile(file, missingHint);
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw problem(file, "cannot be read (" + e + ")");
        }
    }

    private static void requireFile(Path file, String missingHint) {
        if (!Files.exists(file)) {
            throw problem(file, "missing" + (missingHint.isEmpty() ? "" : " (" + missingHint + ")"));
        }
        if (!Files.isRegularFile(file)) {
            throw problem(file, "not a file");
        }
    }

    /**
     * "truncated JSON (unexpected end at line L, column C)" or "invalid JSON at line L, column C" (columns from 1;
     * without the line for a JSON Lines record), instead of Jackson's multi-line message.
     */
    private static String describe(JsonProcessingException e, boolean withLine) {
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : withLine
                ? "line " + at.getLineNr() + ", column " + at.getColumnNr()
                : "column " + at.getColumnNr();
        if (e instanceof JsonEOFException) {
            return where.isEmpty() ? "truncated JSON" : "truncated JSON (unexpected end at " + where + ")";
        }
        return where.isEmpty() ? "invalid JSON" : "invalid JSON at " + where;
    }
}
