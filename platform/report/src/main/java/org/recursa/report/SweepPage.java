package org.recursa.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.recursa.sweep.Seeds;
import org.recursa.sweep.Stats;
import org.recursa.sweep.SweepAggregate;
import org.recursa.sweep.SweepSpec;

/**
 * A sweep report's {@code index.html}: what was swept, a table of every configuration's accuracy over seeds per split,
 * then the charts inlined as SVG. Self-contained, as {@link HtmlPage}: no scripts, nothing loaded from elsewhere.
 */
final class SweepPage {

    private SweepPage() {
    }

    static String render(SweepAggregate aggregate, List<SweepReportWriter.Planned> charts, Map<String, String> inlined,
                         List<String> notes) {
        SweepSpec spec = aggregate.plan().spec();
        String id = aggregate.plan().id();
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append(HtmlPage.GENERATOR).append('\n')
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                        + "style-src 'unsafe-inline'; img-src data:\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Recursa sweep ").append(esc(id)).append("</title>\n")
                .append("<style>").append(HtmlPage.STYLE).append("</style>\n</head>\n<body>\n")
                .append("<h1>Recursa sweep ").append(esc(id)).append("</h1>\n<p>Task <code>").append(esc(spec.task()))
                .append("</code> (mode ").append(esc(spec.mode())).append(", sampler ").append(esc(spec.sampler()))
                .append("); swept <code>").append(esc(swept(spec))).append("</code> with seeds <code>")
                .append(esc(Seeds.describe(spec.seeds()))).append("</code>")
                .append(fixed(spec).isEmpty() ? "" : "; fixed <code>" + esc(fixed(spec)) + "</code>")
                .append(". Points: ").append(esc(aggregate.counts().toString())).append(".</p>\n");
        for (String note : notes) {
            html.append("<p class=\"note\">").append(esc(note)).append("</p>\n");
        }
        table(html, aggregate);
        html.append("<h2>Accuracy per split</h2>\n");
        for (SweepReportWriter.Planned chart : charts) {
            if (chart.name().contains("-by-")) {
                continue;
            }
            figure(html, chart, inlined);
        }
        if (charts.stream().anyMatch(c -> c.name().contains("-by-"))) {
            html.append("<h2>Accuracy by feature</h2>\n");
            charts.stream().filter(c -> c.name().contains("-by-")).forEach(c -> figure(html, c, inlined));
        }
        return html.append("</body>\n</html>\n").toString();
    }

    /**
     * Configuration rows, split columns: {@code mean ± half} of sequence accuracy, under it the same per distinct input
     * and how many distinct inputs the seeds' splits held.
     */
    private static void table(StringBuilder html, SweepAggregate aggregate) {
        List<String> splits = aggregate.splits();
        html.append("<table>\n<thead>\n<tr><th rowspan=\"2\">configuration</th><th rowspan=\"2\">seeds finished</th>");
        if (!splits.isEmpty()) {
            html.append("<th colspan=\"").append(splits.size())
                    .append("\">seq acc, mean ± 95% half-width over seeds</th>");
        }
        html.append("</tr>\n<tr>");
        splits.forEach(s -> html.append("<th>").append(esc(s)).append("</th>"));
        html.append("</tr>\n</thead>\n<tbody>\n");
        for (SweepAggregate.Group group : aggregate.groups()) {
            html.append("<tr><td>").append(esc(group.config())).append("</td><td class=\"num\">")
                    .append(group.runs().size()).append('/').append(group.points()).append("</td>");
            for (String split : splits) {
                SweepAggregate.Split stats = group.splits().get(split);
                html.append("<td class=\"num\">").append(stats == null ? "–" : esc(cell(stats.seqAcc()))
                        + perInput(stats)).append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</tbody>\n</table>\n");
    }

    /** A second line: per-input accuracy and distinct inputs, for runs that recorded them. */
    private static String perInput(SweepAggregate.Split split) {
        if (split.seqAccDistinct() == null || split.distinctInputs() == null) {
            return "";
        }
        return "<br><small>per input " + esc(cell(split.seqAccDistinct())) + " · " + split.distinctInputs()
                + " distinct</small>";
    }

    private static String cell(Stats stats) {
        return Double.isNaN(stats.half()) ? String.format(Locale.ROOT, "%.4f", stats.mean())
                : String.format(Locale.ROOT, "%.4f ± %.4f", stats.mean(), stats.half());
    }

    private static void figure(StringBuilder html, SweepReportWriter.Planned chart, Map<String, String> inlined) {
        String file = ReportFiles.CHARTS + "/" + chart.name();
        html.append("<figure id=\"").append(esc(chart.name())).append("\">\n").append(inlined.get(chart.name()))
                .append("<figcaption>").append(esc(chart.caption()))
                .append(" <a href=\"").append(esc(file)).append(".png\">PNG</a>")
                .append(" <a href=\"").append(esc(file)).append(".svg\">SVG</a>")
                .append("</figcaption>\n</figure>\n");
    }

    private static String swept(SweepSpec spec) {
        StringBuilder text = new StringBuilder();
        spec.grid().forEach(a -> text.append(text.length() == 0 ? "" : " ").append(a));
        spec.random().forEach(a -> text.append(text.length() == 0 ? "" : " ").append(a));
        return text.length() == 0 ? "nothing but the seed" : text.toString();
    }

    /** The architecture when it is not swept, and the settings every run gets, as {@code key=value}. */
    private static String fixed(SweepSpec spec) {
        return ((spec.arch() == null ? "" : "arch=" + spec.arch() + " ") + spec.settings().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "))).strip();
    }

    private static String esc(String text) {
        return HtmlPage.escape(text);
    }
}
