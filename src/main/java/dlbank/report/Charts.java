package dlbank.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** PNG charts for reports, drawn with XChart without a display and written atomically. */
public final class Charts {

    private static final int WIDTH = 800;
    private static final int HEIGHT = 500;

    private Charts() {}

    /** One line per series over a shared x axis, e.g. loss per epoch for training and validation. */
    public static void lines(Path file, String title, String xTitle, String yTitle, double[] x,
                             Map<String, double[]> series, boolean logY) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        series.forEach((name, y) -> chart.addSeries(name, x, y).setMarker(SeriesMarkers.CIRCLE));
        write(file, chart);
    }

    /**
     * A strip plot: one panel per metric, one point per value (seed) and a line at the mean, so the
     * spread of repeated runs is seen, not summarised away.
     */
    public static void strip(Path file, String title, List<String> names, List<double[]> values) {
        int panels = names.size();
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(Math.max(1, panels) * 320, 360,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = image.createGraphics();
        for (int p = 0; p < panels; p++) {
            double[] v = values.get(p);
            XYChart chart = new XYChartBuilder().width(320).height(360).title(p == 0 ? title : "")
                    .xAxisTitle("seed (run order)").yAxisTitle(names.get(p)).build();
            chart.getStyler().setChartBackgroundColor(Color.WHITE).setLegendVisible(false).setChartTitleFont(
                    new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 10));
            double[] x = new double[v.length];
            double mean = 0;
            for (int i = 0; i < v.length; i++) {
                x[i] = i + 1;
                mean += v[i] / v.length;
            }
            org.knowm.xchart.XYSeries points = chart.addSeries("runs", x, v);
            points.setMarker(SeriesMarkers.CIRCLE);
            points.setXYSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Scatter);
            chart.addSeries("mean", new double[] {0.5, v.length + 0.5}, new double[] {mean, mean})
                    .setMarker(SeriesMarkers.NONE).setLineColor(Color.GRAY);
            chart.paint((java.awt.Graphics2D) g.create(p * 320, 0, 320, 360), 320, 360);
        }
        g.dispose();
        AtomicFiles.write(file, out -> javax.imageio.ImageIO.write(image, "png", out));
    }

    /** A curve as points (x[i], y[i]). */
    public record Series(double[] x, double[] y) {}

    /**
     * Curves without markers on axes from 0 to 1, each with its own x values (ROC and PR curves);
     * {@code diagonal} adds the chance line y = x.
     */
    public static void curves(Path file, String title, String xTitle, String yTitle, Map<String, Series> curves,
                              boolean diagonal) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        curves.forEach((name, curve) -> chart.addSeries(name, curve.x(), curve.y()).setMarker(SeriesMarkers.NONE));
        if (diagonal) {
            chart.addSeries("chance", new double[] {0, 1}, new double[] {0, 1}).setMarker(SeriesMarkers.NONE)
                    .setLineColor(Color.GRAY);
        }
        write(file, chart);
    }

    /**
     * Points without lines, one colour per series (each point one measurement, e.g. one weight's
     * gradient error against its size), and grey guide lines (e.g. y = 1e-6·x); on a log axis every
     * value must be positive.
     */
    public static void scatter(Path file, String title, String xTitle, String yTitle, Map<String, Series> series,
                               Map<String, Series> guides, boolean logX, boolean logY) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setXAxisLogarithmic(logX).setYAxisLogarithmic(logY).setMarkerSize(3);
        chart.getStyler().setPlotGridLinesVisible(false);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        series.forEach((name, points) -> {
            org.knowm.xchart.XYSeries cloud = chart.addSeries(name, points.x(), points.y());
            cloud.setXYSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Scatter);
            cloud.setMarker(SeriesMarkers.CIRCLE);
        });
        guides.forEach((name, line) -> chart.addSeries(name, line.x(), line.y()).setMarker(SeriesMarkers.NONE)
                .setLineColor(Color.GRAY));
        write(file, chart);
    }

    /**
     * Grouped bars: one group per category (a model, a setting), one bar per series in each group,
     * e.g. training and test accuracy of several models side by side.
     */
    public static void bars(Path file, String title, String xTitle, String yTitle, List<String> categories,
                            Map<String, double[]> series, Double yMin) {
        org.knowm.xchart.CategoryChart chart = new org.knowm.xchart.CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        if (yMin != null) {
            chart.getStyler().setYAxisMin(yMin);
        }
        series.forEach((name, values) -> chart.addSeries(name, categories,
                java.util.Arrays.stream(values).boxed().toList()));
        write(file, chart);
    }

    /**
     * One horizontal bar per label, the label on its left and the value at its end: for many long labels
     * (the pieces of a training step), which a vertical bar chart's axis cannot hold.
     */
    public static void horizontalBars(Path file, String title, List<String> labels, double[] values, String unit) {
        int row = 26;
        int left = 330;
        int right = 110;
        int top = 70;
        int height = top + row * labels.size() + 20;
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(WIDTH, height,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(java.awt.RenderingHints.KEY_ANTIALIASING, java.awt.RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING,
                    java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, height);
            g.setColor(Color.BLACK);
            g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 18));
            List<String> lines = titleLines(title, g.getFontMetrics(), WIDTH - 20);
            for (int i = 0; i < lines.size(); i++) {
                g.drawString(lines.get(i), 10, (lines.size() == 1 ? 30 : 26) + 24 * i);
            }
            g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 15));
            double max = java.util.Arrays.stream(values).filter(Double::isFinite).max().orElse(1);
            java.awt.FontMetrics metrics = g.getFontMetrics();
            for (int i = 0; i < labels.size(); i++) {
                int y = top + i * row;
                String label = labels.get(i);
                g.setColor(Color.BLACK);
                g.drawString(label, left - 10 - metrics.stringWidth(label), y + row - 8);
                double value = values[i];
                int width = max <= 0 || !Double.isFinite(value) ? 0 : (int) Math.round(value / max * (WIDTH - left - right));
                g.setColor(new Color(0x3B6FD8));
                g.fillRect(left, y + 4, Math.max(1, width), row - 8);
                g.setColor(Color.DARK_GRAY);
                g.drawString(String.format("%.2f %s", value, unit), left + width + 6, y + row - 8);
            }
        } finally {
            g.dispose();
        }
        try {
            AtomicFiles.writeBytes(file, encode(image));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot draw " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Histograms of several samples over one range, drawn as lines through the share of each sample
     * in each bin (so samples of different sizes compare); values outside the range are not drawn
     * but still count in the total. With {@code logY}, empty bins are left out.
     */
    public static void histograms(Path file, String title, String xTitle, Map<String, float[]> samples, double min,
                                  double max, int bins, boolean logY) {
        double width = (max - min) / bins;
        double[] centres = new double[bins];
        for (int b = 0; b < bins; b++) {
            centres[b] = min + (b + 0.5) * width;
        }
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(logY ? "share of values per bin (log)" : "share of values per bin").build();
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setXAxisDecimalPattern("0.00");
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        samples.forEach((name, values) -> {
            double[] shares = new double[bins];
            for (float value : values) {
                int bin = (int) Math.floor((value - min) / width);
                if (bin >= 0 && bin < bins) {
                    shares[bin] += 1.0 / values.length;
                }
            }
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (int b = 0; b < bins; b++) {
                if (!logY || shares[b] > 0) {
                    x.add(centres[b]);
                    y.add(shares[b]);
                }
            }
            chart.addSeries(name, x, y).setMarker(SeriesMarkers.NONE);
        });
        write(file, chart);
    }

    /**
     * The loss and accuracy curves of a per-epoch history (rows with train_/validation_ loss and
     * accuracy); returns the files written (relative names), none if the history lacks the columns.
     */
    public static List<String> trainingCurves(Path dir, List<Map<String, Object>> history) {
        List<String> written = new ArrayList<>();
        if (history.isEmpty() || !history.get(0).containsKey("train_loss")) {
            return written;
        }
        double[] epochs = column(history, "epoch");
        for (String metric : List.of("loss", "accuracy")) {
            if (!history.get(0).containsKey("train_" + metric)) {
                continue;
            }
            Map<String, double[]> series = new LinkedHashMap<>();
            series.put("training", column(history, "train_" + metric));
            if (history.get(0).containsKey("validation_" + metric)) {
                series.put("validation", column(history, "validation_" + metric));
            }
            String name = metric + ".png";
            lines(dir.resolve(name), metric + " per epoch", "epoch", metric, epochs, series, false);
            written.add(name);
        }
        return written;
    }

    /** One column of history rows as numbers. */
    public static double[] column(List<Map<String, Object>> rows, String key) {
        double[] values = new double[rows.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = ((Number) rows.get(i).get(key)).doubleValue();
        }
        return values;
    }

    /**
     * Type large enough to read where the page shows an 800-pixel chart at about half its size: XChart's
     * defaults (10-12 px) came out at 5-6 px there.
     */
    private static void readable(org.knowm.xchart.style.Styler styler) {
        String sans = java.awt.Font.SANS_SERIF;
        styler.setChartTitleFont(new java.awt.Font(sans, java.awt.Font.BOLD, 20));
        styler.setLegendFont(new java.awt.Font(sans, java.awt.Font.PLAIN, 17));
        if (styler instanceof org.knowm.xchart.style.AxesChartStyler axes) {
            axes.setAxisTitleFont(new java.awt.Font(sans, java.awt.Font.PLAIN, 18));
            axes.setAxisTickLabelsFont(new java.awt.Font(sans, java.awt.Font.PLAIN, 16));
        }
    }

    /**
     * XChart centres the title over the plot and cuts what does not fit on both sides. A title that does
     * not fit in 16 px type is drawn here instead, across the picture's width, on as many lines as it needs.
     */
    private static byte[] png(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart) throws IOException {
        String title = chart.getTitle();
        java.awt.Font font = chart.getStyler().getChartTitleFont().deriveFont(16f);
        java.awt.image.BufferedImage scratch = new java.awt.image.BufferedImage(1, 1, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D measure = scratch.createGraphics();
        java.awt.FontMetrics metrics = measure.getFontMetrics(font);
        measure.dispose();
        // The plot's centre sits left of the picture's when a legend is on the right.
        if (title == null || metrics.stringWidth(title) <= chart.getWidth() * 0.78) {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        }
        List<String> lines = titleLines(title, metrics, chart.getWidth() - 24);
        chart.getStyler().setChartTitleVisible(false);
        java.awt.image.BufferedImage plot = BitmapEncoder.getBufferedImage(chart);
        int header = 10 + lines.size() * (metrics.getHeight() + 2);
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(plot.getWidth(), plot.getHeight() + header,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = image.createGraphics();
        try {
            g.setColor(java.awt.Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING, java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(java.awt.Color.BLACK);
            g.setFont(font);
            for (int i = 0; i < lines.size(); i++) {
                int x = (image.getWidth() - metrics.stringWidth(lines.get(i))) / 2;
                g.drawString(lines.get(i), x, 8 + metrics.getAscent() + i * (metrics.getHeight() + 2));
            }
            g.drawImage(plot, 0, header, null);
        } finally {
            g.dispose();
        }
        return encode(image);
    }

    /** The title cut at spaces into lines no wider than {@code width} in this type. */
    private static List<String> titleLines(String title, java.awt.FontMetrics metrics, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : title.split(" ")) {
            if (line.length() > 0 && metrics.stringWidth(line + " " + word) > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.length() > 0 ? " " : "").append(word);
        }
        lines.add(line.toString());
        return lines;
    }

    private static byte[] encode(java.awt.image.BufferedImage image) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static void write(Path file, org.knowm.xchart.internal.chartpart.Chart<?, ?> chart) {
        readable(chart.getStyler());
        try {
            AtomicFiles.writeBytes(file, png(chart));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot draw " + file + ": " + e.getMessage(), e);
        }
    }
}
