package org.recursa.report;

import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The report's {@code index.html}: the run table, then each section's charts inlined as SVG with captions and links
 * to the PNG and SVG files. The page loads nothing: no scripts, no fonts, no images from elsewhere; a content
 * security policy says so to the browser.
 */
final class HtmlPage {

    /** Marks a directory's {@code index.html} as written by this class, so a later report may replace it. */
    static final String GENERATOR = "<meta name=\"generator\" content=\"recursa report\">";

    static final String STYLE = """
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:2rem auto;
            max-width:1040px;padding:0 1rem;color:#222;line-height:1.45}
            h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2.5rem;border-bottom:1px solid #ddd}
            table{border-collapse:collapse;font-size:.85rem;margin:1rem 0}
            th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
            td.num{text-align:right;font-variant-numeric:tabular-nums}th{background:#f3f3f3}
            td.num small{color:#666;white-space:nowrap}
            .swatch{display:inline-block;width:.8em;height:.8em;margin-right:.4em;border-radius:2px}
            figure{margin:1.5rem 0}figcaption{font-size:.9rem;color:#444}
            .note{font-size:.9rem;color:#8a4b00;background:#fff6e5;padding:.4rem .6rem;border-left:3px solid #e0a040}
            code{font-size:.85em}
            """;

    private HtmlPage() {
    }

    /**
     * The page.
     *
     * @param plan    the runs and their charts
     * @param inlined chart name to its inlined SVG element
     */
    static String render(ReportPlan plan, Map<String, String> inlined) {
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append(GENERATOR).append('\n')
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                        + "style-src 'unsafe-inline'; img-src data:\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Recursa report: ").append(escape(title(plan))).append("</title>\n")
                .append("<style>").append(STYLE).append("</style>\n</head>\n<body>\n")
                .append("<h1>Recursa report</h1>\n<p>").append(plan.runs.size())
                .append(plan.runs.size() == 1 ? " run" : " runs").append(" of ").append(escape(title(plan)))
                .append(". Charts are inlined below; each is also in <code>charts/</code> as PNG and SVG.</p>\n");
        runTable(html, plan);
        for (ReportPlan.Section section : ReportPlan.Section.values()) {
            if (plan.notes.get(section).isEmpty() && plan.charts.stream().noneMatch(c -> c.section() == section)) {
                continue;                                  // a section with nothing to say, e.g. probes of no run
            }
            html.append("<h2>").append(escape(section.heading)).append("</h2>\n");
            if (section == ReportPlan.Section.COMPRESSION) {
                CompressionTable.render(html, plan);
            }
            for (String note : plan.notes.get(section)) {
                html.append("<p class=\"note\">").append(escape(note)).append("</p>\n");
            }
            for (ReportPlan.Planned chart : plan.charts) {
                if (chart.section() != section) {
                    continue;
                }
                String file = ReportFiles.CHARTS + "/" + chart.name();
                html.append("<figure id=\"").append(escape(chart.name())).append("\">\n")
                        .append(inlined.get(chart.name()))
                        .append("<figcaption>").append(escape(chart.caption()))
                        .append(" <a href=\"").append(escape(file)).append(".png\">PNG</a>")
                        .append(" <a href=\"").append(escape(file)).append(".svg\">SVG</a>")
                        .append("</figcaption>\n</figure>\n");
            }
        }
        return html.append("</body>\n</html>\n").toString();
    }

    private static String title(ReportPlan plan) {
        Set<String> tasks = new LinkedHashSet<>();
        plan.runs.forEach(r -> tasks.add(r.config().task()));
        return String.join(", ", tasks);
    }

    private static void runTable(StringBuilder html, ReportPlan plan) {
        List<String> splits = new ArrayList<>();
        plan.runs.forEach(r -> r.summary().splits().keySet().stream()
                .filter(s -> !splits.contains(s)).forEach(splits::add));
        splits.sort((a, b) -> Boolean.compare(FinalSummary.isShifted(a), FinalSummary.isShifted(b))); // test-id first
        html.append("<table>\n<thead>\n<tr><th rowspan=\"2\">run</th><th rowspan=\"2\">id</th>"
                + "<th rowspan=\"2\">task</th><th rowspan=\"2\">arch</th><th rowspan=\"2\">mode</th>"
                + "<th rowspan=\"2\">status</th><th rowspan=\"2\">steps</th><th rowspan=\"2\">seconds</th>"
                + "<th rowspan=\"2\">parameters</th>");
        if (!splits.isEmpty()) {
            html.append("<th colspan=\"").append(splits.size())
                    .append("\">seq acc (final.json), Wilson 95% interval, distinct inputs</th>");
        }
        html.append("</tr>\n<tr>");
        splits.forEach(s -> html.append("<th>").append(escape(s)).append("</th>"));
        html.append("</tr>\n</thead>\n<tbody>\n");
        for (RunData run : plan.runs) {
            FinalSummary summary = run.summary();
            html.append("<tr><td><span class=\"swatch\" style=\"background:")
                    .append(css(plan.legend.color(run))).append("\"></span>")
                    .append(escape(plan.legend.label(run))).append("</td>")
                    .append("<td title=\"").append(escape(run.dir().toAbsolutePath().toString())).append("\">")
                    .append(escape(run.id())).append("</td>")
                    .append(cell(run.config().task())).append(cell(run.config().arch()))
                    .append(cell(run.config().mode()))
                    .append(cell(summary.status() + summary.error().map(e -> ": " + e).orElse("")))
                    .append(number(summary.steps().isPresent() ? Integer.toString(summary.steps().getAsInt()) : "–"))
                    .append(number(summary.seconds().isPresent()
                            ? String.format(Locale.ROOT, "%.1f", summary.seconds().getAsDouble()) : "–"))
                    .append(number(run.config().parameters().isPresent()
                            ? String.format(Locale.ROOT, "%,d", run.config().parameters().getAsLong()) : "–"));
            for (String split : splits) {
                html.append(seqAcc(summary.splits().get(split)));
            }
            html.append("</tr>\n");
        }
        html.append("</tbody>\n</table>\n");
    }

    /** Sequence accuracy over its interval and, when recorded, the number of distinct inputs. */
    private static String seqAcc(FinalSummary.Split split) {
        if (split == null) {
            return number("–");
        }
        String detail = String.format(Locale.ROOT, "[%.3f, %.3f]", split.seqAccInterval().low(),
                split.seqAccInterval().high())
                + (split.distinctInputs() == null ? "" : String.format(Locale.ROOT, " · %,d inputs",
                split.distinctInputs()));
        return "<td class=\"num\">" + escape(String.format(Locale.ROOT, "%.4f", split.seqAcc())) + "<br><small>"
                + escape(detail) + "</small></td>";
    }

    private static String cell(String text) {
        return "<td>" + escape(text) + "</td>";
    }

    private static String number(String text) {
        return "<td class=\"num\">" + escape(text) + "</td>";
    }

    private static String css(Color color) {
        return "rgb(" + color.getRed() + "," + color.getGreen() + "," + color.getBlue() + ")";
    }

    /** Escapes text for HTML element content and double-quoted attributes. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
