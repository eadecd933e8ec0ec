package org.masktune.evaluation.task;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.masktune.evaluation.EvaluationPlan.PlannedModel;
import org.masktune.ml.data.ImageSource;
import org.masktune.ml.eval.AgreementSelector;
import org.masktune.ml.eval.SelectiveScores;

/** An evaluation's per-sample predictions as CSV, with numbers that parse back to the exact floats. */
final class PredictionsCsv {

    /** What was written: its row count, and the metadata stored with the artifact (columns, what score means). */
    record Written(int rows, Map<String, Object> metadata) {
    }

    private PredictionsCsv() {
    }

    /**
     * One row per sample: index, split, label, group, then single-label: each model's probabilities
     * ({@code <model>_p<class>}), the headline score and prediction; multi-label: the 0/1 targets
     * ({@code y_<attribute>}), each model's sigmoid outputs ({@code <model>_p_<attribute>}) and, for a pair,
     * the agreement score.
     */
    static Written write(Path file, List<PlannedModel> models, Map<String, ImageSource> sets, Map<String, List<float[][]>> probabilities,
            SplitEvaluator evaluator, boolean multiLabel) throws IOException {
        List<String> attributes = multiLabel ? sets.values().iterator().next().attributeNames() : List.of();
        List<String> columns = new ArrayList<>(List.of("index", "split", "label", "group"));
        attributes.forEach(a -> columns.add("y_" + a));
        for (PlannedModel m : models) {
            for (int c = 0; c < m.classes(); c++) {
                columns.add(m.label() + (multiLabel ? "_p_" + attributes.get(c) : "_p" + c));
            }
        }
        boolean scored = !multiLabel || evaluator.isPair();
        if (scored) {
            columns.add("score");
        }
        if (!multiLabel) {
            columns.add("prediction");
        }
        int rows = 0;
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(String.join(",", columns));
            out.write('\n');
            for (Map.Entry<String, ImageSource> split : sets.entrySet()) {
                ImageSource set = split.getValue();
                List<float[][]> p = probabilities.get(split.getKey());
                SelectiveScores headline = multiLabel ? null : evaluator.headline(p);
                float[] score = headline != null ? headline.confidence()
                        : scored ? AgreementSelector.multiLabelScores(p.get(0), p.get(1)) : null;
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < set.size(); i++) {
                    line.setLength(0);
                    line.append(i).append(',').append(split.getKey()).append(',').append(set.labels()[i]).append(',');
                    if (set.hasGroups()) {
                        line.append(set.groups()[i]);
                    }
                    for (int a = 0; a < attributes.size(); a++) {
                        line.append(',').append(set.attributes()[i * attributes.size() + a]);
                    }
                    for (float[][] model : p) {
                        for (float v : model[i]) {
                            line.append(',').append(exact(v));
                        }
                    }
                    if (scored) {
                        line.append(',').append(exact(score[i]));
                    }
                    if (!multiLabel) {
                        line.append(',').append(headline.predictions()[i]);
                    }
                    out.append(line.append('\n'));
                    rows++;
                }
            }
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("format", "csv");
        metadata.put("rows", rows);
        metadata.put("columns", columns);
        if (multiLabel) {
            metadata.put("attributes", attributes);
            metadata.put("probabilities", "sigmoid of each output; an attribute is predicted present where it is >= 0.5");
        }
        if (scored) {
            metadata.put("score", multiLabel ? "agreement: min over attributes of max(q, 1 - q) of the MaskTune model, minus 1 where the"
                    + " models disagree on any attribute"
                    : evaluator.isPair() ? "product-softmax: max of softmax(p_erm * p_masktune)" : "max-softmax");
        }
        metadata.put("splits", List.copyOf(sets.keySet()));
        return new Written(rows, metadata);
    }

    /** A decimal that parses back to exactly {@code v}: Float.toString when it round-trips, else 9 significant digits (always do). */
    static String exact(float v) {
        String s = Float.toString(v);
        return Float.floatToIntBits(Float.parseFloat(s)) == Float.floatToIntBits(v) ? s : String.format(Locale.ROOT, "%.8e", v);
    }
}
