package org.recursa.plugins.tying;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.recursa.api.Config;
import org.recursa.api.compress.ModelSnapshot;

/**
 * What a tying does to one vanilla model: L layers become B = L / loops shared layers cycled {@code loops} times,
 * chosen by {@code selection}, with a rank-r LoRA per depth.
 *
 * @param layers          L, the vanilla model's layers
 * @param loops           times the shared layers are cycled
 * @param rank            r; 0 for a pure recursive model
 * @param selection       how shared layers are made from vanilla ones
 * @param halfEven        Stepwise rounds halves to even (numpy), else up
 * @param normsFromSource a depth takes its shared layer's source norms, else its own layer's
 * @param separateQkv     a LoRA per q, k and v projection rather than one of the packed matrix
 * @param fullRank        the largest rank every linear map has: {@code min(d_model, ffn)}
 */
record Plan(int layers, int loops, int rank, Selection selection, boolean halfEven, boolean normsFromSource,
            boolean separateQkv, int fullRank) {

    /** The architecture tying converts from. */
    static final String SOURCE = "vanilla";
    /** The architecture it converts into. */
    static final String TARGET = "relaxed";

    /** The plan for {@code source} with the compressor's resolved settings; read {@link #problem} first. */
    static Plan of(ModelSnapshot source, Config settings) {
        Map<String, Object> model = source.settings();
        return new Plan(number(model, "layers"), settings.getInt("loops"), settings.getInt("rank"),
                Selection.of(settings.getString("init")), settings.getString("stepwise_round").equals("half-even"),
                settings.getString("norms_from").equals("source"), settings.getString("lora_qkv").equals("separate"),
                Math.min(number(model, "d_model"), number(model, "ffn")));
    }

    /** Why {@code source} cannot be tied with these settings, in one line, or empty. */
    static Optional<String> problem(ModelSnapshot source, Config settings) {
        if (!source.architecture().equals(SOURCE)) {
            return Optional.of("layer-tying converts a '" + SOURCE + "' model into a '" + TARGET + "' one; this model "
                    + "is '" + source.architecture() + "' (compress a vanilla run)");
        }
        Plan plan = of(source, settings);
        if (plan.layers % plan.loops != 0) {
            return Optional.of("loops=" + plan.loops + " does not divide the model's " + plan.layers
                    + " layers; choose loops among " + divisors(plan.layers));
        }
        if (plan.rank > plan.fullRank) {
            return Optional.of("rank=" + plan.rank + " is more than the full rank of the model's smallest linear map, "
                    + "min(d_model, ffn) = " + plan.fullRank + "; use rank <= " + plan.fullRank);
        }
        return Optional.empty();
    }

    /** B, the shared layers. */
    int shared() {
        return layers / loops;
    }

    /** The vanilla layers shared layer b is made from. */
    List<Integer> sources(int b) {
        return selection.sources(b, layers, shared(), halfEven);
    }

    /**
     * The relaxed model's settings: the vanilla model's, in their order, with {@code layers} replaced by the
     * relaxed architecture's own settings (the two share every other setting: width, heads, positions, dropout).
     */
    Map<String, Object> targetSettings(Map<String, Object> vanilla) {
        Map<String, Object> settings = new LinkedHashMap<>();
        vanilla.forEach((key, value) -> {
            if (key.equals("layers")) {
                settings.put("shared_layers", shared());
                settings.put("loops", loops);
                settings.put("lora_rank", rank);
                settings.put("lora_qkv", separateQkv ? "separate" : "fused");
            } else {
                settings.put(key, value);
            }
        });
        return settings;
    }

    private static String divisors(int layers) {
        List<String> divisors = new ArrayList<>();
        for (int d = 1; d <= layers; d++) {
            if (layers % d == 0) {
                divisors.add(Integer.toString(d));
            }
        }
        return String.join(", ", divisors);
    }

    private static int number(Map<String, Object> settings, String key) {
        Object value = settings.get(key);
        if (value instanceof Number n) {
            return n.intValue();
        }
        if (value instanceof String s && s.matches("\\d+")) {
            return Integer.parseInt(s);
        }
        throw new IllegalArgumentException("the vanilla model's settings have no integer '" + key + "': " + settings);
    }
}
