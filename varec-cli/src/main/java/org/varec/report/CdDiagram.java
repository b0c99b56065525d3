package org.varec.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.internal.chartpart.IChart;
import org.varec.eval.FriedmanTest;
import org.varec.eval.Nemenyi;

/**
 * A critical-difference diagram (Demsar 2006, Fig. 1; the VAE-BMF paper's Fig. 2): an axis of mean
 * ranks, 1 (best) on the left; each model hangs from its mean rank, the better half labelled on the
 * left and the rest on the right; a scale bar of length CD above the axis; and a thick bar under the
 * axis joining each group of models whose mean ranks differ by less than CD (not significantly
 * different under the Nemenyi test). Painted with Java2D and saved as PNG or SVG by {@link Charts#save}.
 */
public final class CdDiagram implements IChart {
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 14);
    private static final Font TEXT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    private static final int ROW = 22;
    private static final int GROUP_GAP = 9;

    private final String title;
    private final FriedmanTest friedman;
    private final Nemenyi nemenyi;
    private final int width;
    private final int height;

    public CdDiagram(String title, FriedmanTest friedman, Nemenyi nemenyi, int width) {
        this.title = title;
        this.friedman = friedman;
        this.nemenyi = nemenyi;
        this.width = width;
        int k = friedman.models().size();
        this.height = 110 + nemenyi.groups().size() * GROUP_GAP + ((k + 1) / 2) * ROW + 20;
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

    @Override
    public void paint(Graphics2D g, int w, int h) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        List<String> models = friedman.models();
        double[] ranks = friedman.meanRanks();
        int k = models.size();
        Font titleFont = TITLE;
        g.setFont(titleFont);
        while (g.getFontMetrics().stringWidth(title) > w - 20 && titleFont.getSize() > 8) { // a long title shrinks to fit
            titleFont = titleFont.deriveFont(titleFont.getSize2D() - 1);
            g.setFont(titleFont);
        }
        FontMetrics tm = g.getFontMetrics();
        g.drawString(title, (w - tm.stringWidth(title)) / 2, 20);

        g.setFont(TEXT);
        FontMetrics fm = g.getFontMetrics();
        int labelWidth = 0;
        for (int m = 0; m < k; m++) {
            labelWidth = Math.max(labelWidth, fm.stringWidth(label(models.get(m), ranks[m])));
        }
        double left = Math.min(w / 3.0, labelWidth + 30);
        double right = w - left;
        double axisY = 75;
        // the axis: ranks 1..k, 1 (best) on the left
        g.setStroke(new BasicStroke(1.2f));
        g.draw(new Line2D.Double(left, axisY, right, axisY));
        g.setFont(SMALL);
        FontMetrics sm = g.getFontMetrics();
        for (int r = 1; r <= k; r++) {
            double x = x(r, k, left, right);
            g.draw(new Line2D.Double(x, axisY - 6, x, axisY));
            String t = Integer.toString(r);
            g.drawString(t, (float) (x - sm.stringWidth(t) / 2.0), (float) (axisY - 9));
            if (r < k) {
                double xm = x(r + 0.5, k, left, right);
                g.draw(new Line2D.Double(xm, axisY - 3, xm, axisY));
            }
        }
        // the CD scale bar above the axis
        double cdEnd = Math.min(x(1 + nemenyi.cd(), k, left, right), right);
        double cdY = 40;
        g.setStroke(new BasicStroke(1.5f));
        g.draw(new Line2D.Double(left, cdY, cdEnd, cdY));
        g.draw(new Line2D.Double(left, cdY - 4, left, cdY + 4));
        g.draw(new Line2D.Double(cdEnd, cdY - 4, cdEnd, cdY + 4));
        String cd = String.format(Locale.ROOT, "CD = %.2f (Nemenyi, alpha = %s)", nemenyi.cd(), trim(nemenyi.alpha()));
        g.drawString(cd, (float) (cdEnd + 8), (float) (cdY + 4));

        // groups not significantly different: thick bars under the axis
        double groupY = axisY + 14;
        g.setStroke(new BasicStroke(4f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        for (int[] grp : nemenyi.groups()) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int m : grp) {
                lo = Math.min(lo, ranks[m]);
                hi = Math.max(hi, ranks[m]);
            }
            g.draw(new Line2D.Double(x(lo, k, left, right) - 4, groupY, x(hi, k, left, right) + 4, groupY));
            groupY += GROUP_GAP;
        }

        // models: the better half to the left, the rest to the right, lines never crossing
        Integer[] order = new Integer[k];
        for (int m = 0; m < k; m++) {
            order[m] = m;
        }
        Arrays.sort(order, (a, b) -> Double.compare(ranks[a], ranks[b]));
        int half = (k + 1) / 2;
        double top = groupY + 8;
        g.setStroke(new BasicStroke(1.2f));
        g.setFont(TEXT);
        for (int i = 0; i < k; i++) {
            int m = order[i];
            boolean onLeft = i < half;
            int row = onLeft ? i : k - 1 - i;
            double x = x(ranks[m], k, left, right);
            double y = top + row * ROW;
            double end = onLeft ? left - 10 : right + 10;
            g.draw(new Line2D.Double(x, axisY, x, y));
            g.draw(new Line2D.Double(x, y, end, y));
            String t = label(models.get(m), ranks[m]);
            float tx = (float) (onLeft ? end - 4 - fm.stringWidth(t) : end + 4);
            g.drawString(t, tx, (float) (y + fm.getAscent() / 2.0 - 1));
        }
    }

    private static double x(double rank, int k, double left, double right) {
        return left + (rank - 1) / (k - 1) * (right - left);
    }

    private static String label(String model, double rank) {
        return String.format(Locale.ROOT, "%s (%.2f)", model, rank);
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.4f", v);
        return s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
