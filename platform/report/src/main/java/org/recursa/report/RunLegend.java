package org.recursa.report;

import java.awt.Color;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The short name and the colour of each run, the same in every chart, so that a run is recognised across charts even
 * when it is missing from some of them. Names are the architecture, with the task and mode added when the runs differ
 * in them; runs that would still share a name get the run id's last part ({@code universal 514c}), or the whole id.
 */
final class RunLegend {

    /** Okabe and Ito's colour-blind-safe palette (without black and yellow, which read badly on white). */
    static final Color[] PALETTE = {
        new Color(0, 114, 178), new Color(213, 94, 0), new Color(0, 158, 115), new Color(204, 121, 167),
        new Color(86, 180, 233), new Color(230, 159, 0), new Color(120, 120, 120), new Color(150, 60, 30),
    };

    private final Map<String, String> labels = new LinkedHashMap<>();
    private final Map<String, Color> colors = new HashMap<>();

    RunLegend(List<RunData> runs) {
        boolean tasksDiffer = runs.stream().map(r -> r.config().task()).distinct().count() > 1;
        boolean modesDiffer = runs.stream().map(r -> r.config().mode()).distinct().count() > 1;
        Function<RunData, String> base = r -> (tasksDiffer ? r.config().task() + " " : "") + r.config().arch()
                + (modesDiffer ? " (" + r.config().mode() + ")" : "");
        Function<RunData, String> suffixed = r -> base.apply(r) + " " + r.id().substring(r.id().lastIndexOf('-') + 1);
        for (RunData run : runs) {
            String label = base.apply(run);
            String longer = suffixed.apply(run);
            boolean shared = runs.stream().filter(r -> base.apply(r).equals(label)).count() > 1;
            boolean stillShared = runs.stream().filter(r -> suffixed.apply(r).equals(longer)).count() > 1;
            labels.put(run.id(), !shared ? label : !stillShared ? longer : run.id());
        }
        for (int i = 0; i < runs.size(); i++) {
            colors.put(runs.get(i).id(), PALETTE[i % PALETTE.length]);
        }
    }

    String label(RunData run) {
        return labels.get(run.id());
    }

    Color color(RunData run) {
        return colors.get(run.id());
    }
}
