package org.recursa.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.knowm.xchart.ChartEncoder;
import org.recursa.runstore.StoredRun;

/**
 * Writes the report of one or more run directories (docs/reports.md): {@code index.html} with every chart inlined as
 * SVG, and {@code charts/<name>.png} and {@code .svg} beside it. Runs are read and checked completely before anything
 * is written, and the report is built in a temporary directory that is renamed into place, so a bad run or a failure
 * leaves no output at all.
 */
public final class ReportWriter {

    static {
        headless();
    }

    private ReportWriter() {
    }

    /**
     * Writes the report.
     *
     * @param runs    the runs, in the order of the table and of the series
     * @param outDir  the report directory; absent, empty, or holding an earlier report, whose files are replaced
     *                (any other file in it is kept, see {@link ReportFiles#MANIFEST})
     * @return the files written
     * @throws IllegalArgumentException one line, {@code <path>: <what is wrong>}, for a missing or damaged run
     *                                  directory or an unusable {@code outDir}; nothing has been written then
     * @throws UncheckedIOException     when writing fails; nothing is left behind then either
     */
    public static Report write(List<StoredRun> runs, Path outDir) {
        Objects.requireNonNull(outDir, "outDir");
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no runs given");
        }
        List<RunData> read = new ArrayList<>();
        Map<String, Path> seen = new HashMap<>();
        for (StoredRun stored : runs) {
            Path dir = stored.dir();
            RunData run = RunData.read(stored);
            Path earlier = seen.putIfAbsent(run.id(), dir);
            if (earlier != null) {
                throw JsonFiles.problem(dir, "run " + run.id() + " is already in the report (from " + earlier + ")");
            }
            read.add(run);
        }
        OutputDir.checkUsable(outDir);
        ReportPlan plan = ReportPlan.of(read);

        Path temp = null;
        try {
            temp = OutputDir.createTemp(outDir);
            Files.createDirectories(temp.resolve(ReportFiles.CHARTS));
            Map<String, String> inlined = new LinkedHashMap<>();
            List<Report.Chart> charts = new ArrayList<>();
            int index = 0;
            for (ReportPlan.Planned planned : plan.charts) {
                byte[] png = ChartEncoder.getBytes(planned.chart(), "png");
                byte[] svg = ChartEncoder.getBytes(planned.chart(), "svg"); // VectorGraphics2D
                Files.write(chartFile(temp, planned.name(), "png"), png);
                Files.write(chartFile(temp, planned.name(), "svg"), svg);
                inlined.put(planned.name(), SvgInline.inline(new String(svg, StandardCharsets.UTF_8),
                        "c" + index++, planned.title()));
                charts.add(new Report.Chart(planned.name(), planned.title(), chartFile(outDir, planned.name(), "png"),
                        chartFile(outDir, planned.name(), "svg"), planned.chart().getWidth(),
                        planned.chart().getHeight()));
            }
            Files.writeString(temp.resolve(ReportFiles.INDEX), HtmlPage.render(plan, inlined), StandardCharsets.UTF_8);
            OutputDir.moveIntoPlace(temp, outDir);
            temp = null;
            List<String> notes = new ArrayList<>();
            plan.notes.values().forEach(notes::addAll);
            return new Report(outDir, outDir.resolve(ReportFiles.INDEX), charts, notes);
        } catch (IOException e) {
            OutputDir.deleteQuietly(temp);
            throw new UncheckedIOException("cannot write the report to " + outDir + ": " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            OutputDir.deleteQuietly(temp);
            throw e;
        }
    }

    private static Path chartFile(Path dir, String name, String extension) {
        return dir.resolve(ReportFiles.CHARTS).resolve(name + "." + extension);
    }

    /** Charts are drawn off screen; without a display AWT must be told so before it starts. */
    static void headless() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }
}
