package org.masktune.evaluation.task;

import org.masktune.evaluation.EvaluateConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.masktune.evaluation.EvaluateEvents.ModelMetrics;
import org.masktune.evaluation.EvaluateEvents.Point;
import org.masktune.evaluation.EvaluateEvents.Selective;
import org.masktune.evaluation.EvaluateEvents.SplitResult;
import org.masktune.ml.data.ImageSource;
import org.masktune.ml.eval.AgreementResult;
import org.masktune.ml.eval.AgreementSelector;
import org.masktune.ml.eval.ClassificationMetrics;
import org.masktune.ml.eval.CoverageCalibration;
import org.masktune.ml.eval.CoveragePoint;
import org.masktune.ml.eval.MaxSoftmax;
import org.masktune.ml.eval.MultiLabelAgreementResult;
import org.masktune.ml.eval.MultiLabelMetrics;
import org.masktune.ml.eval.ProductSoftmax;
import org.masktune.ml.eval.RiskCoverageCurve;
import org.masktune.ml.eval.RiskCoveragePoint;
import org.masktune.ml.eval.SelectiveScores;
import org.masktune.ml.eval.Softmax;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every number of one split from the models' probabilities: classification metrics per model (and for
 * the pair's product-softmax prediction), and the selective methods, each calibrated on the validation
 * probabilities (reference §2) with its full risk-coverage curve and AURC. Multi-label sets get
 * per-attribute metrics and the multi-label agreement rule instead.
 */
public final class SplitEvaluator {

    public static final String ERM = "erm";
    public static final String MASKTUNE = "masktune";
    public static final String COMBINED = "combined";
    public static final String MAX_SOFTMAX = "max-softmax";
    public static final String PRODUCT_SOFTMAX = "product-softmax";
    public static final String AGREEMENT = "agreement";

    private final EvaluateConfig config;
    private final List<String> labels;
    private final List<float[][]> validation;
    private final Map<String, Double> trainGroupProportions;
    private final JsonMapper json;
    private final double[] coverages;

    /**
     * @param labels                model labels, in the order of the probability lists
     * @param validation            each model's probabilities on the validation split (for calibration)
     * @param trainGroupProportions group proportions of the training split, or null when it has no groups
     */
    SplitEvaluator(EvaluateConfig config, List<String> labels, List<float[][]> validation, Map<String, Double> trainGroupProportions,
            JsonMapper json) {
        this.config = config;
        this.labels = labels;
        this.validation = validation;
        this.trainGroupProportions = trainGroupProportions;
        this.json = json;
        this.coverages = config.coverages().stream().mapToDouble(Double::doubleValue).toArray();
    }

    boolean isPair() {
        return labels.size() == 2;
    }

    /** The per-sample score and prediction written to the CSV: product-softmax for a pair, else max-softmax. */
    SelectiveScores headline(List<float[][]> probabilities) {
        return isPair() ? ProductSoftmax.of(probabilities.get(0), probabilities.get(1)) : MaxSoftmax.of(probabilities.get(0));
    }

    /** Every number of one split; {@code probabilities} are softmax rows, or sigmoid rows for a multi-label set. */
    SplitResult evaluate(String split, int index, ImageSource set, List<float[][]> probabilities) {
        return set.isMultiLabel() ? evaluateMultiLabel(split, index, set, probabilities)
                : evaluateSingleLabel(split, index, set, probabilities);
    }

    private SplitResult evaluateSingleLabel(String split, int index, ImageSource set, List<float[][]> probabilities) {
        int classes = set.classes().size();
        int[] y = set.labels();
        int[] groups = set.groups();
        List<ModelMetrics> metrics = new ArrayList<>();
        List<Selective> selective = new ArrayList<>();
        for (int m = 0; m < labels.size(); m++) {
            ClassificationMetrics cm = ClassificationMetrics.of(probabilities.get(m), y, groups, set.groupNames(), classes);
            metrics.add(new ModelMetrics(labels.get(m), metricsJson(cm, set)));
            SelectiveScores scores = MaxSoftmax.of(probabilities.get(m));
            selective.add(selective(MAX_SOFTMAX, labels.get(m), MaxSoftmax.of(validation.get(m)).confidence(), scores.confidence(),
                    scores.correct(y), null));
        }
        if (isPair()) {
            float[][] p = probabilities.get(0);
            float[][] q = probabilities.get(1);
            float[][] s = ProductSoftmax.probabilities(p, q);
            ObjectNode combined = metricsJson(ClassificationMetrics.of(s, y, groups, set.groupNames(), classes), set);
            combined.put("prediction", "argmax of softmax(p_erm * p_masktune), the product-softmax rule");
            AgreementResult agreement = AgreementSelector.select(p, q, y, config.agreementThreshold(), classWeights());
            ObjectNode agreementNode = json.valueToTree(agreement);
            agreementNode.set("classThresholdWeights", json.valueToTree(config.classThresholdWeights()));
            combined.set("agreement", agreementNode);
            metrics.add(new ModelMetrics(COMBINED, finite(combined)));

            SelectiveScores product = ProductSoftmax.of(p, q);
            selective.add(selective(PRODUCT_SOFTMAX, COMBINED, ProductSoftmax.of(validation.get(0), validation.get(1)).confidence(),
                    product.confidence(), product.correct(y), null));
            SelectiveScores agreementScores = agreementScores(p, q);
            selective.add(selective(AGREEMENT, COMBINED, agreementScores(validation.get(0), validation.get(1)).confidence(),
                    agreementScores.confidence(), agreementScores.correct(y),
                    operating(agreement.threshold(), agreement.accepted(), agreement.total(), agreement.accuracyOnAccepted())));
        }
        return new SplitResult(split, index, set.size(), metrics, selective);
    }

    /**
     * A multi-label split: per model, each attribute's precision, recall, F1 and accuracy with their macro
     * means (sigmoid ≥ 0.5); for a pair, the seed's agreement rule over every attribute, stored as 'combined'
     * and, like the single-label rule, as a selective method whose curve counts a sample right when all its
     * attributes are (the MaskTune model's prediction). There is no per-model selective method: the seed
     * defines only the agreement rule for multi-label outputs.
     */
    private SplitResult evaluateMultiLabel(String split, int index, ImageSource set, List<float[][]> probabilities) {
        List<String> names = set.attributeNames();
        byte[] targets = set.attributes();
        List<ModelMetrics> metrics = new ArrayList<>();
        for (int m = 0; m < labels.size(); m++) {
            MultiLabelMetrics perAttribute = MultiLabelMetrics.of(probabilities.get(m), targets, names);
            metrics.add(new ModelMetrics(labels.get(m), finite(json.valueToTree(perAttribute))));
        }
        List<Selective> selective = new ArrayList<>();
        if (isPair()) {
            float[][] p = probabilities.get(0);
            float[][] q = probabilities.get(1);
            MultiLabelAgreementResult agreement = AgreementSelector.selectMultiLabel(p, q, targets, names, config.agreementThreshold());
            ObjectNode combined = json.createObjectNode();
            combined.set("agreement", json.valueToTree(agreement));
            metrics.add(new ModelMetrics(COMBINED, finite(combined)));
            selective.add(selective(AGREEMENT, COMBINED, AgreementSelector.multiLabelScores(validation.get(0), validation.get(1)),
                    AgreementSelector.multiLabelScores(p, q), MultiLabelMetrics.exactMatches(q, targets, names.size()),
                    operating(agreement.threshold(), agreement.accepted(), agreement.total(),
                            agreement.onAccepted().exactMatchAccuracy())));
        }
        return new SplitResult(split, index, set.size(), metrics, selective);
    }

    /** The agreement rule's fixed-threshold point; accuracy NaN (stored as null) when it accepted nothing. */
    private static Point operating(double threshold, int accepted, int total, double accuracyOnAccepted) {
        return new Point(null, threshold, accepted, total == 0 ? 0 : (double) accepted / total, finiteOrNull(accuracyOnAccepted),
                finiteOrNull(1 - accuracyOnAccepted));
    }

    /**
     * The agreement rule as a score, so it has a curve and calibrated points like the others: the
     * MaskTune model's max softmax where both models predict the same class, that minus 1 where they
     * do not. Every threshold in (0, 1] then accepts exactly what the seed's rule accepts at that
     * threshold (without class weights); disagreements come last, so the curve still reaches full
     * coverage. The prediction is the MaskTune model's.
     */
    static SelectiveScores agreementScores(float[][] erm, float[][] maskTune) {
        int[] predictions = new int[erm.length];
        float[] confidence = new float[erm.length];
        for (int i = 0; i < erm.length; i++) {
            int e = Softmax.argmax(erm[i]);
            int m = Softmax.argmax(maskTune[i]);
            predictions[i] = m;
            confidence[i] = e == m ? maskTune[i][m] : maskTune[i][m] - 1f;
        }
        return new SelectiveScores(predictions, confidence);
    }

    private Selective selective(String method, String model, float[] validationConfidence, float[] confidence, boolean[] correct,
            Point operating) {
        RiskCoverageCurve full = RiskCoverageCurve.of(confidence, correct);
        RiskCoverageCurve stored = full.downsample(RiskCoverageCurve.STORED_POINTS);
        List<Point> calibrated = new ArrayList<>();
        for (CoveragePoint c : CoverageCalibration.evaluate(validationConfidence, confidence, correct, coverages)) {
            calibrated.add(new Point(c.targetCoveragePercent(), c.threshold(), c.accepted(), c.coverage(),
                    finiteOrNull(c.selectiveAccuracy()), finiteOrNull(c.selectiveRisk())));
        }
        List<Point> curve = new ArrayList<>();
        for (RiskCoveragePoint p : stored.points()) {
            curve.add(new Point(null, p.threshold(), p.accepted(), p.coverage(), p.accuracy(), p.risk()));
        }
        return new Selective(method, model, confidence.length, full.aurc(), full.points().size(), calibrated, curve, operating);
    }

    private double[] classWeights() {
        return config.classThresholdWeights() == null ? null
                : config.classThresholdWeights().stream().mapToDouble(Double::doubleValue).toArray();
    }

    private ObjectNode metricsJson(ClassificationMetrics metrics, ImageSource set) {
        ObjectNode node = json.valueToTree(metrics);
        node.set("classNames", json.valueToTree(set.classes()));
        node.put("averageGroupAccuracyWeighting", "test-set counts (the accuracy over all grouped samples)");
        if (set.hasGroups() && trainGroupProportions != null) {
            Double trainingWeighted;
            try {
                trainingWeighted = metrics.weightedAverage(trainGroupProportions);
            } catch (IllegalArgumentException e) {
                trainingWeighted = null; // no group of this split occurs in training
            }
            node.put("trainingWeightedGroupAccuracy", trainingWeighted);
        }
        if (!set.hasGroups()) {
            node.putNull("worstGroupAccuracy");
            node.putNull("averageGroupAccuracy");
            node.putNull("meanGroupAccuracy");
        }
        return finite(node);
    }

    static Double finiteOrNull(double value) {
        return Double.isFinite(value) ? value : null;
    }

    /** Replaces NaN and infinities by null, in place (jsonb has no NaN; null is what clients can read). */
    static ObjectNode finite(ObjectNode node) {
        cleanse(node);
        return node;
    }

    private static JsonNode cleanse(JsonNode node) {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            for (String name : List.copyOf(object.propertyNames())) {
                object.set(name, cleanse(object.get(name)));
            }
            return object;
        }
        if (node.isArray()) {
            ArrayNode array = (ArrayNode) node;
            for (int i = 0; i < array.size(); i++) {
                array.set(i, cleanse(array.get(i)));
            }
            return array;
        }
        if (node.isNumber() && (node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue())) {
            return tools.jackson.databind.node.NullNode.getInstance();
        }
        return node;
    }
}
