package org.recursa.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/** Output helpers shared by the search commands: JSON arrays, CSV rows, number formatting. */
final class Formats {

    static final ObjectMapper JSON = new ObjectMapper();

    private Formats() {
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void printJsonArray(PrintWriter out, List<JsonNode> nodes) {
        ArrayNode array = JSON.createArrayNode();
        nodes.forEach(array::add);
        try {
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(array));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.flush();
    }

    /** One CSV row (RFC 4180 quoting). */
    static String csv(List<String> cells) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i) == null ? "" : cells.get(i);
            if (i > 0) {
                line.append(',');
            }
            if (cell.contains(",") || cell.contains("\"") || cell.contains("\n")) {
                line.append('"').append(cell.replace("\"", "\"\"")).append('"');
            } else {
                line.append(cell);
            }
        }
        return line.toString();
    }

    static String number(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return "-";
        }
        double v = value.asDouble();
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.4f", v);
    }

    static String tokens(JsonNode array, int max) {
        StringBuilder text = new StringBuilder();
        for (JsonNode token : array) {
            if (text.length() > 0) {
                text.append(' ');
            }
            text.append(token.asText());
        }
        return text.length() <= max ? text.toString() : text.substring(0, max - 1) + "…";
    }
}
