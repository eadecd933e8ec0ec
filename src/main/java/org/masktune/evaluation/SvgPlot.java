package org.masktune.evaluation;

import org.masktune.evaluation.task.SplitEvaluator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.masktune.evaluation.EvaluateEvents.Point;
import org.masktune.evaluation.EvaluationViews.CurveView;

/**
 * A static SVG of an evaluation's curves, written by hand: one row per split, with the risk-coverage
 * plot on the left and the accuracy-coverage plot on the right; one polyline per curve (method and
 * model) in each, the calibrated points as circles, the agreement rule's operating point as a
 * square, each with a tooltip. Axes, ticks, labels and a legend; no script, no external resource.
 */
final class SvgPlot {

    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2"};
    private static final int PLOT_W = 380;
    private static final int PLOT_H = 260;
    private static final int LEFT = 70;
    private static final int TOP = 60;
    private static final int GAP = 90;
    private static final int ROW_H = PLOT_H + 110;
    private static final int LEGEND_W = 340;
    private static final double AXIS_FROM_COVERAGE = 0.1;

    private SvgPlot() {
    }

    static String render(String title, List<CurveView> curves) {
        Map<String, List<CurveView>> bySplit = new LinkedHashMap<>();
        for (CurveView c : curves) {
            bySplit.computeIfAbsent(c.split(), k -> new ArrayList<>()).add(c);
        }
        Map<String, String> colours = new LinkedHashMap<>();
        for (CurveView c : curves) {
            colours.computeIfAbsent(name(c), k -> COLOURS[colours.size() % COLOURS.length]);
        }
        int rows = Math.max(1, bySplit.size());
        int width = LEFT + 2 * PLOT_W + GAP + 40 + LEGEND_W;
        int height = TOP + rows * ROW_H;
        StringBuilder svg = new StringBuilder();
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                + " font-family=\"sans-serif\" font-size=\"12\">\n", width, height, width, height));
        svg.append("<title>").append(escape(title)).append(": risk-coverage and accuracy-coverage</title>\n");
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", width, height));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"28\" font-size=\"16\" font-weight=\"bold\">%s</text>\n", LEFT,
                escape(title)));
        if (bySplit.isEmpty()) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">No curves stored (yet).</text>\n", LEFT, TOP + 20));
        }
        int row = 0;
        for (Map.Entry<String, List<CurveView>> split : bySplit.entrySet()) {
            int y0 = TOP + row * ROW_H + 20;
            List<CurveView> mine = split.getValue();
            // scaled to the curves from 10 % coverage on (and every calibrated point): a few wrong but very
            // confident samples at the start would otherwise squash the rest; the plot area clips them
            double maxRisk = 0;
            for (CurveView c : mine) {
                for (Point p : c.curve()) {
                    if (p.coverage() >= AXIS_FROM_COVERAGE && p.risk() != null) {
                        maxRisk = Math.max(maxRisk, p.risk());
                    }
                }
                for (Point p : c.calibrated()) {
                    maxRisk = Math.max(maxRisk, p.risk() == null ? 0 : p.risk());
                }
            }
            double riskTop = niceCeiling(Math.max(maxRisk, 0.01));
            panel(svg, LEFT, y0, "split " + split.getKey() + ": risk vs coverage", "selective risk", 0, riskTop, mine, colours, true);
            panel(svg, LEFT + PLOT_W + GAP, y0, "split " + split.getKey() + ": accuracy vs coverage", "selective accuracy",
                    1 - riskTop, 1, mine, colours, false);
            row++;
        }
        legend(svg, LEFT + 2 * PLOT_W + GAP + 40, TOP + 20, curves, colours);
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static void panel(StringBuilder svg, int x0, int y0, String title, String yLabel, double yMin, double yMax,
            List<CurveView> curves, Map<String, String> colours, boolean risk) {
        svg.append("<g>\n");
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>\n", x0, y0 - 8, escape(title)));
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>\n",
                x0, y0, PLOT_W, PLOT_H));
        for (int i = 0; i <= 5; i++) {
            double v = i / 5.0;
            double x = x0 + v * PLOT_W;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>"
                    + "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#333\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                    x, y0, x, y0 + PLOT_H, x, y0 + PLOT_H, x, y0 + PLOT_H + 5, x, y0 + PLOT_H + 19, tick(v)));
        }
        double step = (yMax - yMin) / 5;
        for (int i = 0; i <= 5; i++) {
            double v = yMin + i * step;
            double y = y0 + PLOT_H - (v - yMin) / (yMax - yMin) * PLOT_H;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#333\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                    x0, y, x0 + PLOT_W, y, x0 - 5, y, x0, y, x0 - 8, y + 4, tick(v)));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">coverage</text>\n",
                x0 + PLOT_W / 2.0, y0 + PLOT_H + 38));
        svg.append(String.format(Locale.ROOT, "<text transform=\"translate(%d %.1f) rotate(-90)\" text-anchor=\"middle\">%s</text>\n",
                x0 - 50, y0 + PLOT_H / 2.0, escape(yLabel)));
        svg.append(String.format(Locale.ROOT, "<clipPath id=\"clip-%d-%d\"><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/></clipPath>\n",
                x0, y0, x0, y0, PLOT_W, PLOT_H));
        for (CurveView c : curves) {
            String colour = colours.get(name(c));
            StringBuilder points = new StringBuilder();
            for (Point p : c.curve()) {
                Double v = risk ? p.risk() : p.accuracy();
                if (v == null) {
                    continue;
                }
                points.append(String.format(Locale.ROOT, "%.2f,%.2f ", x0 + p.coverage() * PLOT_W, y(v, y0, yMin, yMax)));
            }
            svg.append(String.format(Locale.ROOT, "<polyline clip-path=\"url(#clip-%d-%d)\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.8\""
                    + " points=\"%s\"><title>%s (AURC %.4f)</title></polyline>\n", x0, y0, colour, points.toString().trim(),
                    escape(name(c)), c.aurc()));
            for (Point p : c.calibrated()) {
                Double v = risk ? p.risk() : p.accuracy();
                if (v == null) {
                    continue;
                }
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"4\" fill=\"white\" stroke=\"%s\" stroke-width=\"2\">"
                        + "<title>%s: target %s%% -> coverage %.4f, accuracy %.4f, threshold %s</title></circle>\n",
                        x0 + p.coverage() * PLOT_W, y(v, y0, yMin, yMax), colour, escape(name(c)), tick(p.targetCoverage()),
                        p.coverage(), p.accuracy(), p.threshold()));
            }
            if (c.operating() != null) {
                Point p = c.operating();
                Double v = risk ? p.risk() : p.accuracy();
                if (v != null) {
                    svg.append(String.format(Locale.ROOT, "<rect x=\"%.2f\" y=\"%.2f\" width=\"8\" height=\"8\" fill=\"%s\">"
                            + "<title>%s: fixed threshold %s -> coverage %.4f, accuracy %.4f</title></rect>\n",
                            x0 + p.coverage() * PLOT_W - 4, y(v, y0, yMin, yMax) - 4, colour, escape(name(c)), p.threshold(),
                            p.coverage(), p.accuracy()));
                }
            }
        }
        svg.append("</g>\n");
    }

    private static void legend(StringBuilder svg, int x0, int y0, List<CurveView> curves, Map<String, String> colours) {
        svg.append("<g>\n");
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">Legend</text>\n", x0, y0));
        int y = y0 + 20;
        for (Map.Entry<String, String> entry : colours.entrySet()) {
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/>"
                    + "<text x=\"%d\" y=\"%d\">%s</text>\n", x0, y - 4, x0 + 24, y - 4, entry.getValue(), x0 + 30, y, escape(entry.getKey())));
            y += 18;
        }
        y += 8;
        svg.append(String.format(Locale.ROOT, "<circle cx=\"%d\" cy=\"%d\" r=\"4\" fill=\"white\" stroke=\"#333\" stroke-width=\"2\"/>"
                + "<text x=\"%d\" y=\"%d\">calibrated on validation (target coverage)</text>\n", x0 + 12, y - 4, x0 + 30, y));
        y += 18;
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"8\" height=\"8\" fill=\"#333\"/>"
                + "<text x=\"%d\" y=\"%d\">agreement rule, fixed threshold</text>\n", x0 + 8, y - 8, x0 + 30, y));
        y += 26;
        for (CurveView c : curves) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\">AURC %s, %s: %.4f</text>\n", x0, y,
                    escape(c.split()), escape(name(c)), c.aurc()));
            y += 15;
        }
        svg.append("</g>\n");
    }

    private static double y(double v, int y0, double yMin, double yMax) {
        return y0 + PLOT_H - (v - yMin) / (yMax - yMin) * PLOT_H;
    }

    static String name(CurveView c) {
        return c.model().equals(SplitEvaluator.COMBINED) ? c.method() : c.method() + " (" + c.model() + ")";
    }

    /** The smallest of 1, 2, 2.5, 5 × 10^k at least {@code v}, capped at 1. */
    static double niceCeiling(double v) {
        if (v >= 1) {
            return 1;
        }
        double base = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * base >= v - 1e-12) {
                return Math.min(1, m * base);
            }
        }
        return 1;
    }

    private static String tick(double v) {
        String s = String.format(Locale.ROOT, "%.4f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
