package org.recursa.report;

/**
 * Turns an SVG file written by XChart (VectorGraphics2D) into an element that can sit inside an HTML page next to
 * others: the XML prolog and doctype go, element ids get a per-chart prefix (every chart defines a clip path, and
 * ids must be unique within the page), and the root scales to the page width and carries a title for screen readers.
 */
final class SvgInline {

    private SvgInline() {
    }

    static String inline(String svg, String idPrefix, String title) {
        int start = svg.indexOf("<svg");
        if (start < 0) {
            throw new IllegalStateException("not an SVG document: " + svg.substring(0, Math.min(80, svg.length())));
        }
        String body = svg.substring(start)
                .replace(" id=\"", " id=\"" + idPrefix + "-")
                .replace("url(#", "url(#" + idPrefix + "-")
                .replace("href=\"#", "href=\"#" + idPrefix + "-");
        int rootEnd = body.indexOf('>');
        String root = body.substring(0, rootEnd)
                .replace("<svg", "<svg role=\"img\" aria-label=\"" + HtmlPage.escape(title) + "\""
                        + " style=\"max-width:100%;height:auto\"");
        return root + "><title>" + HtmlPage.escape(title) + "</title>" + body.substring(rootEnd + 1).strip() + "\n";
    }
}
