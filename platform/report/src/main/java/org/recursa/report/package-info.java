/**
 * {@code recursa report}: reads run directories (docs/runs.md, docs/artifacts.md) and writes one self-contained
 * HTML page with PNG and SVG charts that compare them (docs/reports.md). Entry point:
 * {@link org.recursa.report.ReportWriter#write(java.util.List, java.nio.file.Path)}.
 */
package org.recursa.report;
