package dev.ganymede.engine.output;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler.LegendLayout;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The figures of a training run as PNG charts (drawn with XChart, off-screen): losses, discriminator
 * outputs, a comparison of loss functions, and the two toy-benchmark views (2D points over the
 * mixture's modes, a 1D histogram over the target density).
 *
 * <p>All charts are {@value #WIDTH} × {@value #HEIGHT} pixels on white. Step curves with more than 100
 * points are smoothed by a centred moving average over {@code max(1, n / 100)} steps and drawn bold over
 * the faint raw curve; long runs are thinned for drawing (keeping each stretch's extremes). The y range
 * of step curves ignores the most extreme 0.5 % of raw values at either end, so one diverging step does
 * not flatten the rest; the smoothed curves always fit.
 */
public final class Plots {

    /** Width of every chart in pixels. */
    public static final int WIDTH = 800;

    /** Height of every chart in pixels. */
    public static final int HEIGHT = 500;

    private static final Color BLUE = new Color(0x1F77B4);
    private static final Color ORANGE = new Color(0xFF7F0E);
    private static final Color GREEN = new Color(0x2CA02C);
    private static final Color RED = new Color(0xD62728);
    private static final Color[] PALETTE = {
        BLUE, ORANGE, GREEN, RED, new Color(0x9467BD), new Color(0x8C564B), new Color(0xE377C2), new Color(0x7F7F7F)
    };
    private static final Color GRID = new Color(0xE3E3E3);
    private static final Color TEXT = new Color(0x222222);

    private static final int MAX_DRAWN_POINTS = 1_400;
    private static final int COMPARISON_BUCKETS = 40;
    private static final int MIN_EPOCHS_FOR_EPOCH_AXIS = 10;
    private static final int FAINT_ALPHA = 60;
    private static final BasicStroke BOLD = new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    private static final BasicStroke THIN = new BasicStroke(1f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    private static final BasicStroke DASHED =
            new BasicStroke(2.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {9f, 5f}, 0f);

    static {
        Images.headless();
    }

    private Plots() {}

    // ---------------------------------------------------------------- training curves

    /** Loss of D and loss of G against the step, titled "Losses". */
    public static void losses(List<StepRecord> records, Path file) throws IOException {
        losses(records, file, "loss D", "loss G");
    }

    /** The two loss columns against the step, named as the training strategy names them (an autoencoder: "KL", "reconstruction"). */
    public static void losses(List<StepRecord> records, Path file, String lossDName, String lossGName) throws IOException {
        requireRecords(records);
        XYChart chart = chart("Losses", "step", "loss");
        Curves curves = new Curves(records);
        curves.add(chart, lossDName, StepRecord::lossD, BLUE);
        curves.add(chart, lossGName, StepRecord::lossG, ORANGE);
        curves.fitY(chart);
        curves.stepAxis(chart);
        legend(chart, LegendPosition.OutsideS);
        save(chart, file);
    }

    /**
     * Mean D(x) on real samples and mean D(G(z)) on generated ones against the step. With
     * {@code probabilities} (losses whose discriminator outputs a probability) the y axis spans 0..1,
     * with a dashed line at the equilibrium value 0.5; otherwise it shows raw critic scores.
     */
    public static void discriminatorOutputs(List<StepRecord> records, Path file, boolean probabilities)
            throws IOException {
        requireRecords(records);
        XYChart chart = chart(
                probabilities ? "Discriminator outputs" : "Critic scores",
                "step",
                probabilities ? "D output (probability)" : "critic score");
        Curves curves = new Curves(records);
        curves.add(chart, "real: D(x)", StepRecord::dReal, GREEN);
        curves.add(chart, "fake: D(G(z))", StepRecord::dFake, RED);
        if (probabilities) {
            chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
            chart.getStyler().setYAxisDecimalPattern("0.#");
            chart.getStyler().setAnnotationLineColor(new Color(0x888888));
            chart.getStyler().setAnnotationLineStroke(
                    new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f));
            chart.addAnnotation(new AnnotationLine(0.5, false, false));
        } else {
            curves.fitY(chart);
        }
        curves.stepAxis(chart);
        legend(chart, LegendPosition.OutsideS);
        save(chart, file);
    }

    /**
     * The D and G losses of several runs on one chart, one colour per run, D solid and G dashed (the
     * loss-function comparison figure). When every run spans at least 10 epochs the curves are
     * per-epoch means against the epoch, as the seed's figure over 100 epochs; shorter runs would
     * give a handful of points, so they get means over 40 equal stretches of steps (smooth, and
     * few enough points for the dashes to show). Runs appear in the map's iteration order (pass a
     * {@link java.util.LinkedHashMap} to choose it); loss names become legend labels "name: D" and
     * "name: G".
     */
    public static void lossComparison(Map<String, List<StepRecord>> runsByLossName, Path file) throws IOException {
        if (runsByLossName.isEmpty()) {
            throw new IllegalArgumentException("no runs to compare");
        }
        runsByLossName.values().forEach(Plots::requireRecords);
        boolean byEpoch = comparesByEpoch(runsByLossName.values());
        XYChart chart = chart("Loss comparison", byEpoch ? "epoch" : "step", "loss");
        List<double[]> ranges = new ArrayList<>();
        double firstStep = Double.POSITIVE_INFINITY;
        double lastStep = Double.NEGATIVE_INFINITY;
        int colour = 0;
        for (Map.Entry<String, List<StepRecord>> run : runsByLossName.entrySet()) {
            Color color = PALETTE[colour++ % PALETTE.length];
            String name = run.getKey();
            if (byEpoch) {
                for (int player = 0; player < 2; player++) {
                    ToDoubleFunction<StepRecord> value = player == 0 ? StepRecord::lossD : StepRecord::lossG;
                    double[][] means = epochMeans(run.getValue(), value);
                    XYSeries series = chart.addSeries(name + ": " + (player == 0 ? "D" : "G"), means[0], means[1]);
                    series.setLineColor(color);
                    series.setLineStyle(player == 0 ? BOLD : DASHED);
                    series.setMarker(SeriesMarkers.CIRCLE);
                    series.setMarkerColor(color);
                    ranges.add(finiteRange(means[1]));
                }
            } else {
                for (int player = 0; player < 2; player++) {
                    ToDoubleFunction<StepRecord> value = player == 0 ? StepRecord::lossD : StepRecord::lossG;
                    double[][] means = bucketMeans(run.getValue(), value, COMPARISON_BUCKETS);
                    XYSeries series = chart.addSeries(name + ": " + (player == 0 ? "D" : "G"), means[0], means[1]);
                    series.setLineColor(color);
                    series.setLineStyle(player == 0 ? BOLD : DASHED);
                    series.setMarker(SeriesMarkers.NONE);
                    ranges.add(finiteRange(means[1]));
                    firstStep = Math.min(firstStep, run.getValue().get(0).step());
                    lastStep = Math.max(lastStep, run.getValue().get(run.getValue().size() - 1).step());
                }
            }
        }
        if (byEpoch) {
            chart.getStyler().setMarkerSize(6);
            chart.getStyler().setXAxisDecimalPattern("#");
        }
        double low = ranges.stream().mapToDouble(r -> r[0]).min().orElse(0);
        double high = ranges.stream().mapToDouble(r -> r[1]).max().orElse(1);
        setYRange(chart, low, high);
        if (!byEpoch) {
            stepAxis(chart, firstStep, lastStep, (low + high) / 2);
        }
        legend(chart, LegendPosition.OutsideE);
        chart.getStyler().setLegendSeriesLineLength(32);
        save(chart, file);
    }

    /** Whether a loss comparison plots per-epoch means: only when every run spans 10 epochs or more. */
    static boolean comparesByEpoch(java.util.Collection<List<StepRecord>> runs) {
        return runs.stream().allMatch(run -> run.stream().mapToInt(StepRecord::epoch).distinct().count() >= MIN_EPOCHS_FOR_EPOCH_AXIS);
    }

    // ---------------------------------------------------------------- toy benchmarks

    /**
     * Generated 2D points (x, y interleaved) as small translucent dots over the true modes of the
     * mixture as large rings, with equal scales on both axes so a ring of modes looks round.
     */
    public static void scatter2d(float[] generated, double[][] modes, Path file, String title) throws IOException {
        if (generated.length % 2 != 0) {
            throw new IllegalArgumentException("2D points need an even number of values, got " + generated.length);
        }
        int n = generated.length / 2;
        double[] xs = new double[n];
        double[] ys = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = generated[2 * i];
            ys[i] = generated[2 * i + 1];
        }
        double[] mx = Arrays.stream(modes).mapToDouble(m -> m[0]).toArray();
        double[] my = Arrays.stream(modes).mapToDouble(m -> m[1]).toArray();

        XYChart chart = chart(title == null ? "Generated samples and true modes" : title, "x", "y");
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(5);
        if (n > 0) {
            XYSeries points = chart.addSeries(String.format(Locale.ROOT, "generated (n = %d)", n), xs, ys);
            points.setMarker(SeriesMarkers.CIRCLE);
            points.setMarkerColor(new Color(31, 119, 180, n > 2000 ? 70 : 120));
        }
        if (modes.length > 0) {
            XYSeries centres = chart.addSeries("true modes", mx, my);
            centres.setMarker(new Ring(3.2f));
            centres.setMarkerColor(RED);
        }

        // the view: the modes and the bulk of the points, with a margin
        double[] rx = union(finiteRange(mx), percentileRange(xs, 0.005));
        double[] ry = union(finiteRange(my), percentileRange(ys, 0.005));
        double margin = 0.12 * Math.max(rx[1] - rx[0], ry[1] - ry[0]);
        if (!(margin > 0)) {
            margin = 1;
        }
        rx = new double[] {rx[0] - margin, rx[1] + margin};
        ry = new double[] {ry[0] - margin, ry[1] + margin};
        legend(chart, LegendPosition.OutsideE);
        chart.getStyler().setXAxisDecimalPattern(decimalPattern(rx[1] - rx[0]));
        chart.getStyler().setYAxisDecimalPattern(decimalPattern(ry[1] - ry[0]));
        equalAspect(chart, rx, ry);
        save(chart, file);
    }

    /**
     * A histogram of generated 1D samples, normalised to a density, under the target Gaussian's
     * density curve N(mean, std²).
     */
    public static void histogram1d(float[] generated, double mean, double std, Path file) throws IOException {
        if (!(std > 0)) {
            throw new IllegalArgumentException("std must be positive, got " + std);
        }
        double[] values = new double[generated.length];
        int finite = 0;
        for (float v : generated) {
            if (Float.isFinite(v)) {
                values[finite++] = v;
            }
        }
        values = Arrays.copyOf(values, finite);

        // the range: the target's ±4σ and the bulk of the samples
        double[] range = union(new double[] {mean - 4 * std, mean + 4 * std}, percentileRange(values, 0.001));
        int bins = (int) Math.max(10, Math.min(60, Math.round(Math.sqrt(finite))));
        double binWidth = (range[1] - range[0]) / bins;
        double[] counts = new double[bins];
        int inside = 0;
        for (double v : values) {
            int bin = (int) Math.floor((v - range[0]) / binWidth);
            if (v == range[1]) {
                bin = bins - 1;
            }
            if (bin >= 0 && bin < bins) {
                counts[bin]++;
                inside++;
            }
        }
        double sampleMean = Arrays.stream(values).average().orElse(Double.NaN);
        double sampleStd = Math.sqrt(Arrays.stream(values).map(v -> (v - sampleMean) * (v - sampleMean)).sum()
                / Math.max(1, finite - 1));

        XYChart chart = chart(
                String.format(Locale.ROOT, "Generated samples vs. target N(%.3g, %.3g²)", mean, std), "x", "density");
        double top = 0;
        if (finite > 0) {
            // the outline of the bars: up and across each bin
            double[] hx = new double[2 * bins + 2];
            double[] hy = new double[2 * bins + 2];
            hx[0] = range[0];
            for (int b = 0; b < bins; b++) {
                double density = counts[b] / (finite * binWidth);
                top = Math.max(top, density);
                hx[2 * b + 1] = range[0] + b * binWidth;
                hy[2 * b + 1] = density;
                hx[2 * b + 2] = range[0] + (b + 1) * binWidth;
                hy[2 * b + 2] = density;
            }
            hx[2 * bins + 1] = range[1];
            String label = String.format(
                    Locale.ROOT, "generated (n = %d, mean %.3g, std %.3g)", finite, sampleMean, sampleStd);
            if (inside < finite) {
                label += String.format(Locale.ROOT, ", %d outside", finite - inside);
            }
            XYSeries histogram = chart.addSeries(label, hx, hy);
            histogram.setXYSeriesRenderStyle(XYSeriesRenderStyle.Area);
            histogram.setLineColor(BLUE);
            histogram.setLineStyle(THIN);
            histogram.setFillColor(new Color(31, 119, 180, 90));
            histogram.setMarker(SeriesMarkers.NONE);
        }
        int points = 400;
        double[] gx = new double[points + 1];
        double[] gy = new double[points + 1];
        for (int i = 0; i <= points; i++) {
            double x = range[0] + (range[1] - range[0]) * i / points;
            double z = (x - mean) / std;
            gx[i] = x;
            gy[i] = Math.exp(-0.5 * z * z) / (std * Math.sqrt(2 * Math.PI));
        }
        top = Math.max(top, 1 / (std * Math.sqrt(2 * Math.PI)));
        XYSeries density = chart.addSeries("target density", gx, gy);
        density.setLineColor(RED);
        density.setLineStyle(BOLD);
        density.setMarker(SeriesMarkers.NONE);

        chart.getStyler().setXAxisMin(range[0]).setXAxisMax(range[1]);
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(niceCeiling(top * 1.25));
        chart.getStyler().setXAxisDecimalPattern(decimalPattern(range[1] - range[0]));
        chart.getStyler().setYAxisDecimalPattern(decimalPattern(niceCeiling(top * 1.25)));
        legend(chart, LegendPosition.InsideNE);
        save(chart, file);
    }

    // ---------------------------------------------------------------- metrics and interpolation

    /**
     * One tracked metric against the step, as points joined by lines: {@code values[i]} measured at
     * {@code steps[i]}, with error bars of ± {@code errors[i]} when {@code errors} is given (a
     * standard deviation over subsets, as KID reports it). Non-finite values are left out.
     */
    public static void metric(String title, String yTitle, double[] steps, double[] values, double[] errors, Path file)
            throws IOException {
        Images.writePng(renderMetric(title, yTitle, steps, values, errors), file);
    }

    /** The chart of {@link #metric}, as an image. */
    public static BufferedImage renderMetric(
            String title, String yTitle, double[] steps, double[] values, double[] errors) {
        if (steps.length != values.length || (errors != null && errors.length != values.length)) {
            throw new IllegalArgumentException("steps, values and errors must have the same length, got "
                    + steps.length + ", " + values.length + (errors == null ? "" : ", " + errors.length));
        }
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            if (Double.isFinite(steps[i]) && Double.isFinite(values[i])) {
                keep.add(i);
            }
        }
        XYChart chart = chart(title, "step", yTitle);
        chart.getStyler().setMarkerSize(8);
        if (keep.isEmpty()) {
            XYSeries empty = chart.addSeries(yTitle + " (no finite values)", new double[] {0}, new double[] {0});
            empty.setMarker(SeriesMarkers.NONE);
            empty.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
            legend(chart, LegendPosition.InsideNE);
            return BitmapEncoder.getBufferedImage(chart);
        }
        double[] x = new double[keep.size()];
        double[] y = new double[keep.size()];
        double[] e = errors == null ? null : new double[keep.size()];
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < keep.size(); k++) {
            int i = keep.get(k);
            x[k] = steps[i];
            y[k] = values[i];
            double spread = e == null || !Double.isFinite(errors[i]) ? 0 : Math.abs(errors[i]);
            if (e != null) {
                e[k] = spread;
            }
            low = Math.min(low, y[k] - spread);
            high = Math.max(high, y[k] + spread);
        }
        XYSeries series = e == null ? chart.addSeries(yTitle, x, y) : chart.addSeries(yTitle + " ± std", x, y, e);
        series.setLineColor(BLUE);
        series.setLineStyle(BOLD);
        series.setMarker(SeriesMarkers.CIRCLE);
        series.setMarkerColor(BLUE);
        chart.getStyler().setErrorBarsColorSeriesColor(true);
        setYRange(chart, low, high);
        stepAxis(chart, Math.min(x[0], 0), x[x.length - 1], (low + high) / 2);
        legend(chart, LegendPosition.OutsideS);
        return BitmapEncoder.getBufferedImage(chart);
    }

    /**
     * Paths of a generator through the plane: {@code paths[p]} holds the 2D samples (x, y
     * interleaved) that G draws along latent path p, joined in order and drawn over the true modes
     * of the data as rings; the first point of each path is marked larger. Equal scales on both axes.
     */
    public static void interpolation2d(float[][] paths, double[][] modes, String title, Path file) throws IOException {
        if (paths.length == 0) {
            throw new IllegalArgumentException("no paths to draw");
        }
        XYChart chart = chart(title, "x", "y");
        chart.getStyler().setMarkerSize(7);
        List<double[]> xs = new ArrayList<>();
        List<double[]> ys = new ArrayList<>();
        for (int p = 0; p < paths.length; p++) {
            if (paths[p].length < 2 || paths[p].length % 2 != 0) {
                throw new IllegalArgumentException("path " + p + " needs an even number of values, at least 2");
            }
            int n = paths[p].length / 2;
            double[] x = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = paths[p][2 * i];
                y[i] = paths[p][2 * i + 1];
            }
            xs.add(x);
            ys.add(y);
            Color color = PALETTE[p % PALETTE.length];
            XYSeries path = chart.addSeries("path " + (p + 1), x, y);
            path.setLineColor(color);
            path.setLineStyle(THIN);
            path.setMarker(SeriesMarkers.CIRCLE);
            path.setMarkerColor(color);
            path.setShowInLegend(false);
            XYSeries start = chart.addSeries("start " + (p + 1), new double[] {x[0]}, new double[] {y[0]});
            start.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
            start.setMarker(new Ring(1.8f));
            start.setMarkerColor(color);
            start.setShowInLegend(false);
        }
        double[] mx = Arrays.stream(modes).mapToDouble(m -> m[0]).toArray();
        double[] my = Arrays.stream(modes).mapToDouble(m -> m[1]).toArray();
        if (modes.length > 0) {
            XYSeries centres = chart.addSeries("true modes", mx, my);
            centres.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
            centres.setMarker(new Ring(3.2f));
            centres.setMarkerColor(new Color(0xBBBBBB));
        }
        double[] all = xs.stream().flatMapToDouble(Arrays::stream).toArray();
        double[] allY = ys.stream().flatMapToDouble(Arrays::stream).toArray();
        double[] rx = union(finiteRange(mx), finiteRange(all));
        double[] ry = union(finiteRange(my), finiteRange(allY));
        double margin = 0.12 * Math.max(rx[1] - rx[0], ry[1] - ry[0]);
        if (!(margin > 0)) {
            margin = 1;
        }
        rx = new double[] {rx[0] - margin, rx[1] + margin};
        ry = new double[] {ry[0] - margin, ry[1] + margin};
        legend(chart, LegendPosition.OutsideE);
        chart.getStyler().setLegendVisible(modes.length > 0);
        chart.getStyler().setXAxisDecimalPattern(decimalPattern(rx[1] - rx[0]));
        chart.getStyler().setYAxisDecimalPattern(decimalPattern(ry[1] - ry[0]));
        equalAspect(chart, rx, ry);
        save(chart, file);
    }

    /**
     * Paths of a generator of 1D samples: {@code paths[p][i]} is the sample G draws at point i of
     * latent path p, against the position t from 0 to 1 along the path; dashed lines mark the data's
     * mean and mean ± one standard deviation.
     */
    public static void interpolation1d(float[][] paths, double mean, double std, String title, Path file)
            throws IOException {
        if (paths.length == 0) {
            throw new IllegalArgumentException("no paths to draw");
        }
        XYChart chart = chart(title, "position t along the latent path", "G(z(t))");
        chart.getStyler().setMarkerSize(6);
        double low = mean - std;
        double high = mean + std;
        for (int p = 0; p < paths.length; p++) {
            int n = paths[p].length;
            if (n < 2) {
                throw new IllegalArgumentException("path " + p + " needs at least 2 points");
            }
            double[] t = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                t[i] = i / (double) (n - 1);
                y[i] = paths[p][i];
            }
            double[] r = finiteRange(y);
            low = Math.min(low, r[0]);
            high = Math.max(high, r[1]);
            Color color = PALETTE[p % PALETTE.length];
            XYSeries series = chart.addSeries("path " + (p + 1), t, finiteOrNaN(y));
            series.setLineColor(color);
            series.setLineStyle(THIN);
            series.setMarker(SeriesMarkers.CIRCLE);
            series.setMarkerColor(color);
            series.setShowInLegend(false);
        }
        String[] names = {"data mean", "mean ± std", null};
        double[] levels = {mean, mean + std, mean - std};
        for (int k = 0; k < 3; k++) {
            XYSeries line = chart.addSeries(names[k] == null ? "  " : names[k], new double[] {0, 1},
                    new double[] {levels[k], levels[k]});
            line.setLineColor(k == 0 ? new Color(0x555555) : new Color(0xAAAAAA));
            line.setLineStyle(DASHED);
            line.setMarker(SeriesMarkers.NONE);
            line.setShowInLegend(names[k] != null);
        }
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setXAxisDecimalPattern("0.0#");
        // evenly spaced x values make XChart put its ticks on them (0.11, 0.22, ...); one off-grid point prevents it
        XYSeries spacer = chart.addSeries("   ", new double[] {Math.nextUp(1.0)}, new double[] {mean});
        spacer.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
        spacer.setMarker(SeriesMarkers.NONE);
        spacer.setShowInLegend(false);
        setYRange(chart, low, high);
        legend(chart, LegendPosition.OutsideS);
        save(chart, file);
    }

    // ---------------------------------------------------------------- chart style

    private static XYChart chart(String title, String xTitle, String yTitle) {
        Images.headless();
        XYChart chart = new XYChart(WIDTH, HEIGHT);
        chart.setTitle(title);
        chart.setXAxisTitle(xTitle);
        chart.setYAxisTitle(yTitle);
        XYStyler s = chart.getStyler();
        s.setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Line);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(new Color(0x999999));
        s.setPlotGridLinesColor(GRID);
        s.setPlotGridLinesStroke(new BasicStroke(1f));
        s.setChartFontColor(TEXT);
        s.setAxisTickLabelsColor(TEXT);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        s.setChartTitleBoxVisible(false);
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setLegendBackgroundColor(new Color(255, 255, 255, 220));
        s.setLegendBorderColor(new Color(0xBBBBBB));
        s.setChartPadding(14);
        s.setMarkerSize(0);
        s.setAntiAlias(true);
        s.setLocale(Locale.ROOT);
        s.setToolTipsEnabled(false);
        return chart;
    }

    private static void legend(XYChart chart, LegendPosition position) {
        chart.getStyler().setLegendPosition(position);
        chart.getStyler().setLegendLayout(
                position == LegendPosition.OutsideS ? LegendLayout.Horizontal : LegendLayout.Vertical);
    }

    private static void save(XYChart chart, Path file) throws IOException {
        Images.writePng(BitmapEncoder.getBufferedImage(chart), file);
    }

    private static void requireRecords(List<StepRecord> records) {
        if (records == null || records.isEmpty()) {
            throw new IllegalArgumentException("no step records to plot");
        }
    }

    /** Sets the y range to [low, high] plus 5 % either side (the axis ends land on tick values). */
    private static void setYRange(XYChart chart, double low, double high) {
        if (!Double.isFinite(low) || !Double.isFinite(high)) {
            return; // let XChart choose
        }
        double pad = high > low ? 0.05 * (high - low) : Math.max(0.5, Math.abs(high) * 0.1);
        chart.getStyler().setYAxisMin(low - pad).setYAxisMax(high + pad);
        chart.getStyler().setYAxisDecimalPattern(decimalPattern(high - low + 2 * pad));
    }

    /**
     * Widens the shorter-in-pixels axis range so one unit has the same length on both axes; XChart
     * lays the plot out around the labels, so the plot area is measured by painting once.
     */
    private static void equalAspect(XYChart chart, double[] rx, double[] ry) {
        XYStyler s = chart.getStyler();
        double[] x = rx.clone();
        double[] y = ry.clone();
        for (int pass = 0; pass < 3; pass++) {
            s.setXAxisMin(x[0]).setXAxisMax(x[1]).setYAxisMin(y[0]).setYAxisMax(y[1]);
            BufferedImage scratch = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = scratch.createGraphics();
            chart.paint(g, WIDTH, HEIGHT);
            g.dispose();
            double xPixels = Math.abs(chart.getScreenXFromChart(x[1]) - chart.getScreenXFromChart(x[0]));
            double yPixels = Math.abs(chart.getScreenYFromChart(y[1]) - chart.getScreenYFromChart(y[0]));
            if (!(xPixels > 0) || !(yPixels > 0)) {
                return;
            }
            double xPerUnit = xPixels / (x[1] - x[0]);
            double yPerUnit = yPixels / (y[1] - y[0]);
            if (Math.abs(xPerUnit / yPerUnit - 1) < 0.005) {
                return;
            }
            if (xPerUnit > yPerUnit) {
                x = widen(x, xPixels / yPerUnit);
            } else {
                y = widen(y, yPixels / xPerUnit);
            }
        }
    }

    /**
     * Sets the x range of a step axis (from 0 when the run starts near it) and keeps XChart from
     * placing ticks only at data values, which it does when all x values are equally spaced and which
     * gives ticks like 1, 113, 225: one invisible point at an x no series has breaks the spacing.
     */
    private static void stepAxis(XYChart chart, double first, double last, double anyY) {
        if (!Double.isFinite(first) || !Double.isFinite(last)) {
            return;
        }
        double low = first >= 0 && first <= 0.05 * last ? 0 : first;
        double high = last > low ? last : low + 1;
        chart.getStyler().setXAxisMin(low).setXAxisMax(high);
        chart.getStyler().setXAxisDecimalPattern(high - low >= 10 ? "#,##0" : decimalPattern(high - low));
        double y = Double.isFinite(anyY) ? anyY : 0;
        XYSeries spacer = chart.addSeries(" ", new double[] {Math.nextUp(high)}, new double[] {y});
        spacer.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
        spacer.setMarker(SeriesMarkers.NONE);
        spacer.setShowInLegend(false);
    }

    /** A decimal pattern with enough fraction digits for ticks about a tenth of {@code span} apart. */
    private static String decimalPattern(double span) {
        if (!(span > 0) || !Double.isFinite(span)) {
            return "0.###";
        }
        int digits = (int) Math.max(0, Math.min(8, Math.ceil(-Math.log10(span / 10)) + 1));
        return digits == 0 ? "#,##0" : "0." + "#".repeat(digits);
    }

    private static double[] widen(double[] range, double span) {
        double centre = (range[0] + range[1]) / 2;
        return new double[] {centre - span / 2, centre + span / 2};
    }

    /** The smallest of 1, 2, 2.5, 5 times a power of ten that is at least {@code value}. */
    private static double niceCeiling(double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(value)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * power >= value * (1 - 1e-12)) {
                return m * power;
            }
        }
        return 10 * power;
    }

    // ---------------------------------------------------------------- series helpers

    /** Step curves of one run: raw (faint, thinned) and smoothed (bold), with the y range they need. */
    private static final class Curves {
        private final List<StepRecord> records;
        private final double[] steps;
        private final int window;
        private double low = Double.POSITIVE_INFINITY;
        private double high = Double.NEGATIVE_INFINITY;

        Curves(List<StepRecord> records) {
            this.records = records;
            this.steps = records.stream().mapToDouble(StepRecord::step).toArray();
            this.window = Math.max(1, records.size() / 100);
        }

        void add(XYChart chart, String name, ToDoubleFunction<StepRecord> value, Color color) {
            double[] raw = finiteOrNaN(records.stream().mapToDouble(value).toArray());
            if (!Double.isFinite(finiteRange(raw)[0])) {
                // nothing to draw; keep the legend entry so the reader sees the curve is missing
                XYSeries empty = chart.addSeries(name + " (no finite values)", new double[] {steps[0]}, new double[] {0});
                empty.setLineColor(color);
                empty.setMarker(SeriesMarkers.NONE);
                empty.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
                return;
            }
            if (window > 1) {
                double[][] thin = thinExtremes(steps, raw, MAX_DRAWN_POINTS);
                XYSeries faint = chart.addSeries(name + " (raw)", thin[0], thin[1]);
                faint.setLineColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), FAINT_ALPHA));
                faint.setLineStyle(THIN);
                faint.setMarker(SeriesMarkers.NONE);
                faint.setShowInLegend(false);
                double[] robust = percentileRange(raw, 0.005);
                include(robust);
            }
            addSmoothed(chart, name, value, color);
        }

        private void addSmoothed(XYChart chart, String name, ToDoubleFunction<StepRecord> value, Color color) {
            double[] raw = finiteOrNaN(records.stream().mapToDouble(value).toArray());
            double[] smooth = movingAverage(raw, window);
            double[][] thin = thinEvenly(steps, smooth, MAX_DRAWN_POINTS);
            XYSeries series = chart.addSeries(name, thin[0], thin[1]);
            series.setLineColor(color);
            series.setLineStyle(BOLD);
            series.setMarker(SeriesMarkers.NONE);
            include(finiteRange(smooth));
        }

        void stepAxis(XYChart chart) {
            Plots.stepAxis(chart, steps[0], steps[steps.length - 1], (low + high) / 2);
        }

        void fitY(XYChart chart) {
            setYRange(chart, low, high);
        }

        private void include(double[] range) {
            low = Math.min(low, range[0]);
            high = Math.max(high, range[1]);
        }
    }

    /** Centred moving average over {@code window} values (shorter at the ends); NaNs are left out. */
    static double[] movingAverage(double[] values, int window) {
        int n = values.length;
        if (window <= 1) {
            return values.clone();
        }
        double[] sum = new double[n + 1];
        int[] count = new int[n + 1];
        for (int i = 0; i < n; i++) {
            boolean ok = Double.isFinite(values[i]);
            sum[i + 1] = sum[i] + (ok ? values[i] : 0);
            count[i + 1] = count[i] + (ok ? 1 : 0);
        }
        int before = (window - 1) / 2;
        int after = window - 1 - before;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            int from = Math.max(0, i - before);
            int to = Math.min(n, i + after + 1);
            int c = count[to] - count[from];
            out[i] = c == 0 ? Double.NaN : (sum[to] - sum[from]) / c;
        }
        return out;
    }

    /**
     * Means over {@code buckets} equal runs of consecutive records (fewer when there are fewer
     * records): {@code [mean step, mean value]}.
     */
    static double[][] bucketMeans(List<StepRecord> records, ToDoubleFunction<StepRecord> value, int buckets) {
        int n = records.size();
        int count = Math.min(buckets, n);
        double[][] out = new double[2][count];
        for (int b = 0; b < count; b++) {
            int from = (int) ((long) b * n / count);
            int to = (int) ((long) (b + 1) * n / count);
            double steps = 0;
            double sum = 0;
            int finite = 0;
            for (int i = from; i < to; i++) {
                steps += records.get(i).step();
                double v = value.applyAsDouble(records.get(i));
                if (Double.isFinite(v)) {
                    sum += v;
                    finite++;
                }
            }
            out[0][b] = steps / (to - from);
            out[1][b] = finite == 0 ? Double.NaN : sum / finite;
        }
        return out;
    }

    /** Per-epoch means: {@code [epochs, means]}, epochs ascending. */
    static double[][] epochMeans(List<StepRecord> records, ToDoubleFunction<StepRecord> value) {
        Map<Integer, double[]> sums = new TreeMap<>();
        for (StepRecord r : records) {
            double v = value.applyAsDouble(r);
            if (Double.isFinite(v)) {
                double[] s = sums.computeIfAbsent(r.epoch(), e -> new double[2]);
                s[0] += v;
                s[1]++;
            }
        }
        double[][] out = new double[2][sums.size()];
        int i = 0;
        for (Map.Entry<Integer, double[]> e : sums.entrySet()) {
            out[0][i] = e.getKey();
            out[1][i] = e.getValue()[0] / e.getValue()[1];
            i++;
        }
        return out;
    }

    /** At most about {@code max} points: every k-th one. */
    private static double[][] thinEvenly(double[] x, double[] y, int max) {
        if (x.length <= max) {
            return new double[][] {x, y};
        }
        int k = (x.length + max - 1) / max;
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < x.length; i += k) {
            keep.add(i);
        }
        if (keep.get(keep.size() - 1) != x.length - 1) {
            keep.add(x.length - 1);
        }
        return pick(x, y, keep);
    }

    /** At most about {@code max} points: the lowest and the highest of each stretch, in order. */
    private static double[][] thinExtremes(double[] x, double[] y, int max) {
        if (x.length <= max) {
            return new double[][] {x, y};
        }
        int buckets = max / 2;
        List<Integer> keep = new ArrayList<>();
        for (int b = 0; b < buckets; b++) {
            int from = (int) ((long) b * x.length / buckets);
            int to = (int) ((long) (b + 1) * x.length / buckets);
            int lo = -1;
            int hi = -1;
            for (int i = from; i < to; i++) {
                if (Double.isNaN(y[i])) {
                    continue;
                }
                if (lo < 0 || y[i] < y[lo]) {
                    lo = i;
                }
                if (hi < 0 || y[i] > y[hi]) {
                    hi = i;
                }
            }
            if (lo < 0) {
                keep.add(from); // a gap stays a gap
            } else {
                keep.add(Math.min(lo, hi));
                if (hi != lo) {
                    keep.add(Math.max(lo, hi));
                }
            }
        }
        return pick(x, y, keep);
    }

    private static double[][] pick(double[] x, double[] y, List<Integer> keep) {
        double[][] out = new double[2][keep.size()];
        for (int i = 0; i < keep.size(); i++) {
            out[0][i] = x[keep.get(i)];
            out[1][i] = y[keep.get(i)];
        }
        return out;
    }

    /** Infinite values become NaN, which XChart leaves as gaps. */
    private static double[] finiteOrNaN(double[] values) {
        for (int i = 0; i < values.length; i++) {
            if (Double.isInfinite(values[i])) {
                values[i] = Double.NaN;
            }
        }
        return values;
    }

    private static double[] finiteRange(double[] values) {
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            if (Double.isFinite(v)) {
                low = Math.min(low, v);
                high = Math.max(high, v);
            }
        }
        return new double[] {low, high};
    }

    /** The {@code tail} and {@code 1 - tail} quantiles of the finite values. */
    static double[] percentileRange(double[] values, double tail) {
        double[] finite = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
        if (finite.length == 0) {
            return new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        }
        int lo = (int) Math.floor(tail * (finite.length - 1));
        int hi = (int) Math.ceil((1 - tail) * (finite.length - 1));
        return new double[] {finite[lo], finite[hi]};
    }

    private static double[] union(double[] a, double[] b) {
        double low = Math.min(a[0], b[0]);
        double high = Math.max(a[1], b[1]);
        if (!Double.isFinite(low) || !Double.isFinite(high)) {
            return new double[] {-1, 1};
        }
        if (high == low) {
            return new double[] {low - 1, high + 1};
        }
        return new double[] {low, high};
    }

    /** A ring marker {@code factor} times the chart's marker size, for the true modes. */
    private static final class Ring extends Marker {
        private final float factor;

        Ring(float factor) {
            this.factor = factor;
        }

        @Override
        public void paint(Graphics2D g, double x, double y, int markerSize) {
            double d = markerSize * factor;
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            java.awt.Stroke stroke = g.getStroke();
            java.awt.Paint paint = g.getPaint();
            g.setStroke(new BasicStroke(2.5f));
            g.draw(new Ellipse2D.Double(x - d / 2, y - d / 2, d, d));
            double c = d * 0.18;
            g.draw(new Line2D.Double(x - c, y, x + c, y));
            g.draw(new Line2D.Double(x, y - c, x, y + c));
            g.setStroke(stroke);
            g.setPaint(paint);
        }
    }
}
