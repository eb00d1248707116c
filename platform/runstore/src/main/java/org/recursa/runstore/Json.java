package org.recursa.runstore;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The run format's JSON conventions in one place: snake_case names, absent instead of null, unknown fields
 * ignored on read (a newer minor writer may add fields), NaN and Infinity accepted (a diverged loss).
 */
final class Json {

    /** For documents: indented, one per file. */
    static final ObjectMapper DOCUMENT = mapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** For JSON Lines: one record per line. */
    static final ObjectMapper LINE = mapper();

    private Json() {
    }

    private static ObjectMapper mapper() {
        return JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .build();
    }

    /** One line of JSON for {@code value}. */
    static String line(Object value) {
        try {
            return LINE.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName() + ": "
                    + e.getMessage(), e);
        }
    }

    /** An indented JSON document for {@code value}, as UTF-8 bytes with a final newline. */
    static byte[] document(Object value) {
        try {
            return (DOCUMENT.writeValueAsString(value) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName() + ": "
                    + e.getMessage(), e);
        }
    }
}
