package org.varec.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.internal.chartpart.IChart;

/**
 * A block model's picture of a network: the adjacency matrix with rows and columns ordered by
 * group (group boundaries drawn, every block shaded by its link probability, every link a dark
 * cell), and beside it a bar chart of the group sizes. The shading is on a square-root scale of
 * the block probability relative to the largest, so that the sparse blocks of a sparse network
 * still show. Built from plain numbers, painted with
 * Java2D (the bar chart with XChart), and saved as PNG or SVG by {@link Charts#save}.
 */
public final class BlockPicture implements IChart {
    private static final Color BLOCK = new Color(0x0072B2);
    private static final Color LINK = new Color(0x1A1A1A);
    private static final Color BOUNDARY = new Color(0xD55E00);
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 14);
    private static final Font TEXT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 10);
    /** Shading of the densest block: links stay visible on it. */
    private static final double MAX_SHADE = 0.55;

    private final String title;
    private final int[] position;
    private final int[] order;
    private final int[] offsets;
    private final int[] adjOffsets;
    private final int[] adjNeighbours;
    private final double[][] probabilities;
    private final int width;
    private final int height;

    /**
     * @param title         the picture's title
     * @param order         vertices in picture order (position to vertex)
     * @param offsets       group g occupies positions {@code offsets[g] .. offsets[g+1]}
     * @param adjOffsets    adjacency of the network (CSR, both directions) by vertex
     * @param adjNeighbours see {@code adjOffsets}
     * @param probabilities block link probabilities between groups
     */
    public BlockPicture(String title, int[] order, int[] offsets, int[] adjOffsets, int[] adjNeighbours,
                        double[][] probabilities, int width, int height) {
        if (order.length == 0) {
            throw new IllegalArgumentException("a block picture needs at least one vertex");
        }
        this.title = title;
        this.order = order;
        this.position = new int[order.length];
        for (int p = 0; p < order.length; p++) {
            position[order[p]] = p;
        }
        this.offsets = offsets;
        this.adjOffsets = adjOffsets;
        this.adjNeighbours = adjNeighbours;
        this.probabilities = probabilities;
        this.width = width;
        this.height = height;
    }

    @Override
    public int getWidth() {
        return width;
    }

    @Override
    public int getHeight() {
        return height;
    }

    @Override
    public String getTitle() {
        return title;
    }

    private int groups() {
        return offsets.length - 1;
    }

    private double maxProbability() {
        double max = 0;
        for (double[] row : probabilities) {
            for (double p : row) {
                max = Math.max(max, p);
            }
        }
        return max;
    }

    private static Color shade(double t) {
        double s = Math.max(0, Math.min(1, t)) * MAX_SHADE;
        return new Color((int) Math.round(255 + s * (BLOCK.getRed() - 255)),
                (int) Math.round(255 + s * (BLOCK.getGreen() - 255)), (int) Math.round(255 + s * (BLOCK.getBlue() - 255)));
    }

    @Override
    public void paint(Graphics2D g, int w, int h) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fill(new Rectangle2D.Double(0, 0, w, h));
        g.setColor(Color.BLACK);
        g.setFont(TITLE);
        FontMetrics tm = g.getFontMetrics();
        g.drawString(title, (float) Math.max(8, (w - tm.stringWidth(title)) / 2.0), 22f);

        int n = order.length;
        int k = groups();
        double top = 62;
        double left = 46;
        double bottom = 58;
        double side = Math.max(60, Math.min(h - top - bottom, 0.62 * w - left - 10));
        double cell = side / n;
        double pmax = maxProbability();

        // blocks shaded by their link probability
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                if (offsets[a + 1] == offsets[a] || offsets[b + 1] == offsets[b]) {
                    continue;
                }
                g.setColor(shade(pmax > 0 ? Math.sqrt(probabilities[a][b] / pmax) : 0));
                g.fill(new Rectangle2D.Double(left + offsets[b] * cell, top + offsets[a] * cell,
                        (offsets[b + 1] - offsets[b]) * cell, (offsets[a + 1] - offsets[a]) * cell));
            }
        }
        // links: one cell each, at least a pixel
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
        g.setColor(LINK);
        double dot = Math.max(1, cell);
        for (int v = 0; v < n; v++) {
            double y = top + position[v] * cell;
            for (int p = adjOffsets[v]; p < adjOffsets[v + 1]; p++) {
                double x = left + position[adjNeighbours[p]] * cell;
                g.fill(new Rectangle2D.Double(x, y, dot, dot));
            }
        }
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        // group boundaries and frame
        g.setColor(BOUNDARY);
        g.setStroke(new BasicStroke(1f));
        for (int a = 1; a < k; a++) {
            double at = offsets[a] * cell;
            g.draw(new Line2D.Double(left + at, top, left + at, top + side));
            g.draw(new Line2D.Double(left, top + at, left + side, top + at));
        }
        g.setColor(Color.GRAY);
        g.draw(new Rectangle2D.Double(left, top, side, side));
        // group numbers beside the bands wide enough for them
        g.setFont(SMALL);
        FontMetrics sm = g.getFontMetrics();
        g.setColor(Color.DARK_GRAY);
        double lastLeft = Double.NEGATIVE_INFINITY;
        double lastTop = Double.NEGATIVE_INFINITY;
        for (int a = 0; a < k; a++) {
            double mid = (offsets[a] + offsets[a + 1]) / 2.0 * cell;
            String label = Integer.toString(a);
            if (top + mid - lastLeft >= sm.getAscent() + 1) {
                g.drawString(label, (float) (left - 5 - sm.stringWidth(label)), (float) (top + mid + sm.getAscent() / 2.0 - 1));
                lastLeft = top + mid;
            }
            if (left + mid - lastTop >= sm.stringWidth(label) + 4) {
                g.drawString(label, (float) (left + mid - sm.stringWidth(label) / 2.0), (float) (top - 5));
                lastTop = left + mid;
            }
        }
        g.setFont(TEXT);
        g.drawString("group", (float) left, (float) (top - 20));
        // legend of the shading
        double ly = top + side + 14;
        double lw = Math.min(160, side / 2);
        for (int x = 0; x < (int) lw; x++) {
            g.setColor(shade(Math.sqrt(x / lw)));
            g.fill(new Rectangle2D.Double(left + x, ly, 1.5, 12));
        }
        g.setColor(Color.GRAY);
        g.draw(new Rectangle2D.Double(left, ly, lw, 12));
        g.setColor(Color.DARK_GRAY);
        g.setFont(SMALL);
        g.drawString(String.format(Locale.ROOT, "block link probability 0 .. %.3g (square-root scale)", pmax),
                (float) (left + lw + 8),
                (float) (ly + 10));
        g.setColor(LINK);
        g.fill(new Rectangle2D.Double(left, ly + 20, 6, 6));
        g.setColor(Color.DARK_GRAY);
        g.drawString("link (rows and columns: vertices by group, largest first; within a group by degree)",
                (float) (left + 12), (float) (ly + 27));

        // the group sizes beside the matrix
        double bx = left + side + 24;
        double bw = w - bx - 8;
        if (bw >= 120) {
            List<String> cats = new ArrayList<>();
            double[] sizes = new double[k];
            for (int a = 0; a < k; a++) {
                cats.add(Integer.toString(a));
                sizes[a] = offsets[a + 1] - offsets[a];
            }
            Map<String, double[]> series = new LinkedHashMap<>();
            series.put("vertices", sizes);
            int bh = (int) Math.round(side + top - 34);
            CategoryChart bars = Charts.bars("Group sizes", "group", "vertices", cats, series, (int) bw, bh);
            bars.getStyler().setChartTitleFont(TEXT.deriveFont(Font.BOLD));
            bars.getStyler().setSeriesColors(new Color[] {BLOCK});
            bars.getStyler().setXAxisLabelRotation(k > 20 ? 90 : 0);
            bars.getStyler().setXAxisTickMarkSpacingHint(Math.max(8, (int) (bw / Math.max(1, k) / 2)));
            java.awt.geom.AffineTransform saved = g.getTransform();
            g.translate(bx, 34);
            bars.paint(g, (int) bw, bh);
            g.setTransform(saved);
        }
    }
}
