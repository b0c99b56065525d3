package org.varec.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.IChart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Every chart of {@code varec report} and {@code varec plot}, built with XChart from plain
 * numbers (no varec types here), and written as PNG or SVG. Rendering is headless.
 */
public final class Charts {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    /** Default size of a chart in pixels. */
    public static final int WIDTH = 800;
    public static final int HEIGHT = 500;

    /** Colours for highlighted series (colour-blind friendly, Okabe-Ito), after which XChart's own. */
    private static final Color[] HIGHLIGHT = {new Color(0xD55E00), new Color(0x0072B2), new Color(0x009E73),
            new Color(0xCC79A7), new Color(0xE69F00), new Color(0x56B4E9), new Color(0x000000), new Color(0x8C564B),
            new Color(0x9467BD), new Color(0x7F7F7F), new Color(0xBCBD22), new Color(0x17BECF)};
    private static final Color BACKGROUND_POINTS = new Color(0xB0B0B0);

    private Charts() {
    }

    /** A named series of (x, y) points. */
    public record Series(String name, double[] x, double[] y) {
        public Series {
            if (x.length != y.length) {
                throw new IllegalArgumentException("series " + name + ": " + x.length + " x values, " + y.length + " y values");
            }
        }
    }

    /** A text placed at (x, y) in data coordinates. */
    public record Label(String text, double x, double y) {
    }

    /** Bars: category labels on x, one or more named series of heights. */
    public static CategoryChart bars(String title, String xTitle, String yTitle, List<String> categories,
                                     Map<String, double[]> series, int width, int height) {
        CategoryChart c = new CategoryChartBuilder().width(width).height(height).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        style(c.getStyler());
        c.getStyler().setLegendVisible(series.size() > 1);
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        c.getStyler().setOverlapped(false);
        c.getStyler().setAvailableSpaceFill(series.size() > 1 ? 0.8 : 0.6);
        c.getStyler().setSeriesColors(colors(series.size()));
        c.getStyler().setXAxisTickMarkSpacingHint(20);
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            List<Double> ys = new ArrayList<>();
            for (double v : e.getValue()) {
                ys.add(v);
            }
            c.addSeries(e.getKey(), categories, ys);
        }
        return c;
    }

    /** Lines (with small markers when there are few points): several series on one chart. */
    public static XYChart lines(String title, String xTitle, String yTitle, List<Series> series, boolean logX,
                                boolean logY, int width, int height) {
        XYChart c = new XYChartBuilder().width(width).height(height).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        style(c.getStyler());
        c.getStyler().setLegendVisible(series.size() > 1);
        c.getStyler().setXAxisLogarithmic(logX);
        c.getStyler().setYAxisLogarithmic(logY);
        c.getStyler().setSeriesColors(colors(series.size()));
        boolean markers = series.stream().allMatch(s -> s.x().length <= 30);
        for (Series s : series) {
            XYSeries xy = c.addSeries(s.name(), s.x(), s.y());
            xy.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            xy.setMarker(markers ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            xy.setLineStyle(new BasicStroke(2f));
        }
        if (!markers && !logX) {
            // XChart labels every k-th value of equally spaced x (epochs 1, 2, 3...), which crowds
            // three-digit epochs; one invisible point off the grid makes it choose round ticks
            XYSeries off = c.addSeries(" ", new double[] {0.5}, new double[] {Double.NaN});
            off.setShowInLegend(false);
            off.setMarker(SeriesMarkers.NONE);
        }
        return c;
    }

    /**
     * An embedding map: grey background points, then highlighted groups in distinct colours drawn
     * over them, and text labels at some points.
     */
    public static XYChart map(String title, String xTitle, String yTitle, Series background, List<Series> groups,
                              List<Label> labels, int width, int height) {
        XYChart c = new XYChartBuilder().width(width).height(height).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        style(c.getStyler());
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        c.getStyler().setMarkerSize(6);
        c.getStyler().setLegendVisible(true);
        Color[] colors = new Color[groups.size() + (background == null ? 0 : 1)];
        int k = 0;
        if (background != null) {
            colors[k++] = BACKGROUND_POINTS;
        }
        for (int g = 0; g < groups.size(); g++) {
            colors[k++] = HIGHLIGHT[g % HIGHLIGHT.length];
        }
        c.getStyler().setSeriesColors(colors);
        if (background != null) {
            c.addSeries(background.name(), nonEmpty(background.x()), nonEmpty(background.y())).setMarker(SeriesMarkers.CIRCLE);
        }
        for (Series s : groups) {
            c.addSeries(s.name(), nonEmpty(s.x()), nonEmpty(s.y())).setMarker(SeriesMarkers.CIRCLE);
        }
        // fix the axes (a small margin around the points) so that labels can be placed in data units
        double x0 = Double.POSITIVE_INFINITY;
        double x1 = Double.NEGATIVE_INFINITY;
        double y0 = Double.POSITIVE_INFINITY;
        double y1 = Double.NEGATIVE_INFINITY;
        List<Series> all = new ArrayList<>(groups);
        if (background != null) {
            all.add(background);
        }
        for (Series s : all) {
            for (int p = 0; p < s.x().length; p++) {
                x0 = Math.min(x0, s.x()[p]);
                x1 = Math.max(x1, s.x()[p]);
                y0 = Math.min(y0, s.y()[p]);
                y1 = Math.max(y1, s.y()[p]);
            }
        }
        if (x0 < x1 && y0 < y1) {
            double mx = 0.04 * (x1 - x0);
            double my = 0.04 * (y1 - y0);
            x0 -= mx;
            x1 += mx;
            y0 -= my;
            y1 += my;
            c.getStyler().setXAxisMin(x0);
            c.getStyler().setXAxisMax(x1);
            c.getStyler().setYAxisMin(y0);
            c.getStyler().setYAxisMax(y1);
        }
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
        c.getStyler().setAnnotationTextFont(font);
        c.getStyler().setAnnotationTextFontColor(Color.BLACK);
        // text beside its point, on the side towards the centre, kept inside the plot; the plot
        // area is estimated from the chart size (axis labels and title take about 100 px)
        java.awt.image.BufferedImage scratch = new java.awt.image.BufferedImage(1, 1, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = scratch.createGraphics();
        java.awt.FontMetrics fm = g.getFontMetrics(font);
        double perPx = (x1 - x0) / Math.max(50, width - 110);
        double perPy = (y1 - y0) / Math.max(50, height - 110);
        double lineHeight = fm.getHeight() + 2;
        List<double[]> placed = new ArrayList<>(); // boxes of placed labels in pixels: x0, y0, x1, y1
        for (Label l : labels) {
            double halfPx = fm.stringWidth(l.text()) / 2.0 + 7;
            double half = halfPx * perPx;
            double cx = l.x() > (x0 + x1) / 2 ? l.x() - half : l.x() + half;
            cx = Math.max(x0 + half, Math.min(x1 - half, cx));
            double px = (cx - x0) / perPx;
            double py = (l.y() - y0) / perPy;
            // beside the point, else a line above or below it; a label that fits nowhere is left out
            for (double dy : new double[] {0, lineHeight, -lineHeight}) {
                double[] box = {px - halfPx + 5, py + dy - lineHeight / 2, px + halfPx - 5, py + dy + lineHeight / 2};
                boolean free = box[1] >= 0 && box[3] <= (y1 - y0) / perPy;
                for (double[] b : placed) {
                    free &= box[2] < b[0] || box[0] > b[2] || box[3] < b[1] || box[1] > b[3];
                }
                if (free) {
                    placed.add(box);
                    c.addAnnotation(new AnnotationText(l.text(), cx, l.y() + dy * perPy, false));
                    break;
                }
            }
        }
        g.dispose();
        return c;
    }

    /** XChart cannot draw a series without points; an empty group is drawn as one NaN-free point off nothing. */
    private static double[] nonEmpty(double[] v) {
        return v.length == 0 ? new double[] {Double.NaN} : v;
    }

    private static void style(AxesChartStyler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderVisible(true);
        s.setPlotBorderColor(Color.GRAY);
        s.setPlotGridLinesColor(new Color(0xE0E0E0));
        s.setLegendBorderColor(Color.LIGHT_GRAY);
        s.setLegendPosition(Styler.LegendPosition.InsideNE);
        s.setChartTitleBoxVisible(false);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setAntiAlias(true);
        s.setLocale(Locale.ROOT);
    }

    private static Color[] colors(int n) {
        Color[] c = new Color[Math.max(1, n)];
        for (int i = 0; i < c.length; i++) {
            c[i] = HIGHLIGHT[i % HIGHLIGHT.length];
        }
        return c;
    }

    /** The file format chosen by {@code file}'s extension: {@code png} or {@code svg}. */
    public static String format(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".png")) {
            return "png";
        }
        if (name.endsWith(".svg")) {
            return "svg";
        }
        throw new IllegalArgumentException("--out " + file + ": the file name must end in .png or .svg");
    }

    /**
     * Writes {@code chart} (an XChart chart or a picture painted like one, {@link BlockPicture}) to
     * {@code file} (PNG or SVG by extension), atomically; creates parent directories.
     */
    public static void save(IChart chart, Path file) throws IOException {
        String format = format(file);
        org.varec.util.AtomicFiles.write(file, out -> {
            if (format.equals("png")) {
                BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
            } else {
                VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            }
        });
    }
}
