package org.recursa.runtime.train;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.recursa.api.Config;
import org.recursa.api.ConfigException;
import org.recursa.api.ConfigSchema;
import org.recursa.api.Setting;

/**
 * The final evaluation's settings ({@code eval.*} on the command line): besides every split at the model's own depth,
 * a recurrent model can be evaluated at other inference depths (test-time depth scaling).
 *
 * @param recursions the inference depths, ascending, without repeats; empty for none
 */
public record EvalSettings(List<Integer> recursions) {

    /** The largest depth a run may ask to evaluate at. */
    public static final int MAX_DEPTH = 256;

    /** Every evaluation setting with its default. */
    public static final ConfigSchema SCHEMA = ConfigSchema.of(
            Setting.ofString("recursions", "", "recurrent models: also evaluate every split at these inference "
                    + "depths, comma-separated, e.g. 4,8,16,32 (empty: only at the model's own depth)"));

    /** Copies the depths. */
    public EvalSettings {
        recursions = List.copyOf(recursions);
    }

    /**
     * Reads resolved settings.
     *
     * @throws ConfigException naming the setting and what it expects
     */
    public static EvalSettings of(Config config) {
        String text = config.getString("recursions").trim();
        if (text.isEmpty()) {
            return new EvalSettings(List.of());
        }
        TreeSet<Integer> depths = new TreeSet<>();
        for (String part : text.split(",")) {
            int depth;
            try {
                depth = Integer.parseInt(part.trim());
            } catch (NumberFormatException e) {
                throw invalid(text);
            }
            if (depth < 1 || depth > MAX_DEPTH) {
                throw invalid(text);
            }
            depths.add(depth);
        }
        return new EvalSettings(new ArrayList<>(depths));
    }

    private static ConfigException invalid(String text) {
        return new ConfigException("setting 'recursions' must be depths from 1 to " + MAX_DEPTH
                + " separated by commas, like 4,8,16,32; got '" + text + "'");
    }
}
