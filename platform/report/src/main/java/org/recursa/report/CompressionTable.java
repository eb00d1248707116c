package org.recursa.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.recursa.runstore.FinalRecord;

/**
 * The table of the report's size-and-accuracy section: per run with a checkpoint, its compressor, parent, size and
 * sequence accuracy per split, with the change from its parent when the parent is in the report too.
 */
final class CompressionTable {

    private CompressionTable() {
    }

    static void render(StringBuilder html, ReportPlan plan) {
        List<RunData> sized = plan.sized();
        List<String> splits = new ArrayList<>();
        sized.forEach(r -> r.summary().splits().keySet().stream().filter(s -> !splits.contains(s))
                .forEach(splits::add));
        html.append("<table>\n<thead>\n<tr><th>run</th><th>arch</th><th>compressor</th><th>parent</th>"
                + "<th>parameters</th><th>checkpoint bytes</th><th>smaller by</th><th>uptrain steps</th>");
        splits.forEach(s -> html.append("<th>seq acc ").append(HtmlPage.escape(s)).append("</th>"));
        html.append("<th>compressor measures</th></tr>\n</thead>\n<tbody>\n");
        for (RunData run : sized) {
            Optional<RunData> parent = sized.stream().filter(p -> p.id().equals(run.config().parent())).findFirst();
            FinalRecord.Compression compression = run.compression();
            html.append("<tr>").append(cell(plan.legend.label(run))).append(cell(run.config().arch()))
                    .append(cell(run.config().compressor() == null ? "–" : run.config().compression()))
                    .append(cell(run.config().parent() == null ? "–" : run.config().parent()))
                    .append(number(run.config().parameters().isPresent()
                            ? String.format(Locale.ROOT, "%,d", run.config().parameters().getAsLong()) : "–"))
                    .append(number(String.format(Locale.ROOT, "%,d", run.checkpointBytes())))
                    .append(number(compression == null ? "–"
                            : String.format(Locale.ROOT, "%.2f×", compression.checkpointRatio())))
                    .append(number(compression == null ? "–" : Integer.toString(compression.uptrainSteps())));
            for (String split : splits) {
                html.append(accuracy(run, parent, split));
            }
            html.append(cell(compression == null ? "–" : measures(compression.measures()))).append("</tr>\n");
        }
        html.append("</tbody>\n</table>\n");
    }

    /** Sequence accuracy, its interval, and the change from the parent in points when the parent is shown. */
    private static String accuracy(RunData run, Optional<RunData> parent, String split) {
        FinalSummary.Split result = run.summary().splits().get(split);
        if (result == null) {
            return number("–");
        }
        String detail = String.format(Locale.ROOT, "[%.3f, %.3f]", result.seqAccInterval().low(),
                result.seqAccInterval().high());
        FinalSummary.Split before = parent.map(p -> p.summary().splits().get(split)).orElse(null);
        if (before != null) {
            detail += String.format(Locale.ROOT, " · %+.1f pt", 100 * (result.seqAcc() - before.seqAcc()));
        }
        return "<td class=\"num\">" + HtmlPage.escape(String.format(Locale.ROOT, "%.4f", result.seqAcc()))
                + "<br><small>" + HtmlPage.escape(detail) + "</small></td>";
    }

    private static String measures(Map<String, Double> measures) {
        return measures.entrySet().stream().map(e -> e.getKey() + "=" + String.format(Locale.ROOT, "%.4g",
                e.getValue())).collect(Collectors.joining(", "));
    }

    private static String cell(String text) {
        return "<td>" + HtmlPage.escape(text) + "</td>";
    }

    private static String number(String text) {
        return "<td class=\"num\">" + HtmlPage.escape(text) + "</td>";
    }
}
