package org.varec.report;

import java.util.List;

/**
 * A small HTML writer for the report page. The page it makes is also well-formed XML (every
 * element closed, attributes quoted, only XML's own entities), so it can be checked strictly.
 */
final class Html {
    private final StringBuilder sb = new StringBuilder();

    /** Text with {@code & < > " '} escaped. */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t') {
                        out.append(' '); // control characters are not allowed in XML
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    Html raw(String s) {
        sb.append(s);
        return this;
    }

    /** {@code <tag>text</tag>} with the text escaped. */
    Html el(String tag, String text) {
        sb.append('<').append(tag).append('>').append(esc(text)).append("</").append(tag).append(">\n");
        return this;
    }

    Html p(String text) {
        return el("p", text);
    }

    Html h2(String id, String text) {
        sb.append("<h2 id=\"").append(esc(id)).append("\">").append(esc(text)).append("</h2>\n");
        return this;
    }

    Html h3(String text) {
        return el("h3", text);
    }

    /** A figure: the image file (relative to the page) and a caption. */
    Html figure(String file, String alt, int width, int height, String caption) {
        sb.append("<figure><img src=\"").append(esc(file)).append("\" alt=\"").append(esc(alt))
                .append("\" width=\"").append(width).append("\" height=\"").append(height).append("\"/>");
        if (caption != null) {
            sb.append("<figcaption>").append(esc(caption)).append("</figcaption>");
        }
        sb.append("</figure>\n");
        return this;
    }

    /** A table; cells are escaped, and a cell in {@code bold[r][c]} is wrapped in {@code <b>}. */
    Html table(List<String> header, List<List<String>> rows, boolean[][] bold, int numericFrom) {
        sb.append("<table>\n<thead><tr>");
        for (int c = 0; c < header.size(); c++) {
            sb.append(c >= numericFrom ? "<th class=\"num\">" : "<th>").append(esc(header.get(c))).append("</th>");
        }
        sb.append("</tr></thead>\n<tbody>\n");
        for (int r = 0; r < rows.size(); r++) {
            sb.append("<tr>");
            List<String> row = rows.get(r);
            for (int c = 0; c < row.size(); c++) {
                String cell = esc(row.get(c));
                if (bold != null && bold[r][c]) {
                    cell = "<b>" + cell + "</b>";
                }
                sb.append(c >= numericFrom ? "<td class=\"num\">" : "<td>").append(cell).append("</td>");
            }
            sb.append("</tr>\n");
        }
        sb.append("</tbody>\n</table>\n");
        return this;
    }

    /** Starts a block whose figures sit side by side where the page is wide enough. */
    Html gridStart() {
        sb.append("<div class=\"grid\">\n");
        return this;
    }

    Html gridEnd() {
        sb.append("</div>\n");
        return this;
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
