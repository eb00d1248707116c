package org.recursa.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link ReportWriter#write} wrote.
 *
 * @param dir    the report directory
 * @param index  the page, {@code dir/index.html}
 * @param charts every chart, in page order
 * @param notes  what was left out and why (also on the page), e.g. a run without per-token depth
 */
public record Report(Path dir, Path index, List<Chart> charts, List<String> notes) {

    /**
     * One chart, written twice.
     *
     * @param name   base name of its files ({@link ReportFiles})
     * @param title  its title
     * @param png    {@code dir/charts/<name>.png}
     * @param svg    {@code dir/charts/<name>.svg}, also inlined in the page
     * @param width  width in pixels of the PNG (and of the SVG's view box)
     * @param height height in pixels
     */
    public record Chart(String name, String title, Path png, Path svg, int width, int height) {
    }

    public Report {
        charts = List.copyOf(charts);
        notes = List.copyOf(notes);
    }

    /** Every file written: the page, then each chart's PNG and SVG, then the list of them ({@link ReportFiles#MANIFEST}). */
    public List<Path> files() {
        List<Path> files = new ArrayList<>();
        files.add(index);
        charts.forEach(c -> {
            files.add(c.png());
            files.add(c.svg());
        });
        files.add(dir.resolve(ReportFiles.MANIFEST));
        return List.copyOf(files);
    }
}
