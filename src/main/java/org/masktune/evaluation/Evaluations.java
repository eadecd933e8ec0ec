package org.masktune.evaluation;

import org.masktune.artifacts.ArtifactKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.masktune.artifacts.Artifact;
import org.masktune.artifacts.ArtifactStore;
import org.masktune.evaluation.EvaluateEvents.Point;
import org.masktune.evaluation.EvaluationRepository.EvaluationRow;
import org.masktune.evaluation.EvaluationRepository.PointRow;
import org.masktune.evaluation.EvaluationRepository.ResultRow;
import org.masktune.evaluation.EvaluationRepository.SummaryRow;
import org.masktune.evaluation.EvaluationViews.ComparedEvaluation;
import org.masktune.evaluation.EvaluationViews.ComparedRow;
import org.masktune.evaluation.EvaluationViews.Comparison;
import org.masktune.evaluation.EvaluationViews.CurveView;
import org.masktune.evaluation.EvaluationViews.EvaluationView;
import org.masktune.evaluation.EvaluationViews.PredictionsView;
import org.masktune.evaluation.EvaluationViews.ResultView;
import org.masktune.jobs.Job;
import org.masktune.jobs.JobLookup;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads evaluations back: all metrics, the curves (JSON, CSV, SVG), the predictions artifact, comparisons. */
@Service
public class Evaluations {

    private final EvaluationRepository repository;
    private final JobLookup jobs;
    private final ArtifactStore artifacts;
    private final JsonMapper json;

    Evaluations(EvaluationRepository repository, JobLookup jobs, ArtifactStore artifacts, JsonMapper json) {
        this.repository = repository;
        this.jobs = jobs;
        this.artifacts = artifacts;
        this.json = json;
    }

    EvaluationView get(UUID id) {
        EvaluationRow row = row(id);
        Job job = jobs.find(id).orElseThrow(() -> missing(id));
        List<ResultView> results = repository.results(id).stream()
                .map(r -> new ResultView(r.model(), r.split(), json.readTree(r.metrics()))).toList();
        LinkedHashSet<String> splits = new LinkedHashSet<>();
        repository.results(id).stream().map(ResultRow::split).forEach(splits::add);
        return new EvaluationView(id, job.getStatus(), job.getErrorMessage(), row.createdAt(), json.readTree(row.models()),
                json.readTree(row.dataset()), json.readTree(job.getConfig()), List.copyOf(splits), results,
                curves(id, null, null, false), predictionsView(id).orElse(null));
    }

    /** Every curve of the evaluation, optionally only of one split and/or method; the full points only when asked. */
    List<CurveView> curves(UUID id, String split, String method, boolean withCurve) {
        row(id);
        List<String> kinds = withCurve ? List.of("calibrated", "operating", "curve") : List.of("calibrated", "operating");
        Map<String, List<PointRow>> points = new LinkedHashMap<>();
        for (PointRow p : repository.points(id, kinds)) {
            points.computeIfAbsent(key(p.method(), p.model(), p.split()), k -> new ArrayList<>()).add(p);
        }
        List<CurveView> curves = new ArrayList<>();
        for (SummaryRow s : repository.summaries(id)) {
            if ((split != null && !split.equals(s.split())) || (method != null && !method.equals(s.method()))) {
                continue;
            }
            List<PointRow> mine = points.getOrDefault(key(s.method(), s.model(), s.split()), List.of());
            List<Point> calibrated = mine.stream().filter(p -> p.kind().equals("calibrated")).map(PointRow::point).toList();
            Point operating = mine.stream().filter(p -> p.kind().equals("operating")).map(PointRow::point).findFirst().orElse(null);
            List<Point> curve = withCurve ? mine.stream().filter(p -> p.kind().equals("curve")).map(PointRow::point).toList() : null;
            curves.add(new CurveView(s.method(), s.model(), s.split(), s.samples(), s.aurc(), s.curvePoints(), calibrated, operating, curve));
        }
        return curves;
    }

    /** One row per stored point: method, model, split, kind, seq, target_coverage, threshold, accepted, coverage, accuracy, risk. */
    String curvesCsv(UUID id) {
        row(id);
        StringBuilder csv = new StringBuilder("method,model,split,kind,seq,target_coverage,threshold,accepted,coverage,accuracy,risk\n");
        for (PointRow r : repository.points(id, List.of("calibrated", "operating", "curve"))) {
            Point p = r.point();
            csv.append(r.method()).append(',').append(r.model()).append(',').append(csvText(r.split())).append(',').append(r.kind())
                    .append(',').append(r.seq()).append(',').append(number(p.targetCoverage())).append(',').append(number(p.threshold()))
                    .append(',').append(p.accepted()).append(',').append(number(p.coverage())).append(',').append(number(p.accuracy()))
                    .append(',').append(number(p.risk())).append('\n');
        }
        return csv.toString();
    }

    String svg(UUID id, String split) {
        List<CurveView> curves = curves(id, split, null, true);
        return SvgPlot.render("Evaluation " + id, curves);
    }

    Artifact predictions(UUID id) {
        row(id);
        return artifacts.forJob(id, ArtifactKind.PREDICTIONS.id()).orElseThrow(() -> new EvaluationNotFoundException(id,
                "evaluation " + id + " has no predictions yet: they are written when all splits are measured"));
    }

    public Comparison compare(List<UUID> ids) {
        List<ComparedEvaluation> columns = new ArrayList<>();
        // metric|split|model|method -> values per evaluation
        Map<String, Double[]> values = new LinkedHashMap<>();
        Map<String, ComparedRow> keys = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            UUID id = ids.get(i);
            EvaluationRow row = row(id);
            Job job = jobs.find(id).orElseThrow(() -> missing(id));
            columns.add(new ComparedEvaluation(id, job.getStatus(), json.readTree(row.models()), json.readTree(row.dataset())));
            for (ResultRow r : repository.results(id)) {
                JsonNode metrics = json.readTree(r.metrics());
                put(values, keys, ids.size(), i, "accuracy", r.split(), r.model(), null, metrics.path("accuracy"));
                put(values, keys, ids.size(), i, "worstGroupAccuracy", r.split(), r.model(), null, metrics.path("worstGroupAccuracy"));
                put(values, keys, ids.size(), i, "macroF1", r.split(), r.model(), null, metrics.path("macroF1"));
            }
            for (SummaryRow s : repository.summaries(id)) {
                put(values, keys, ids.size(), i, "aurc", s.split(), s.model(), s.method(), json.getNodeFactory().numberNode(s.aurc()));
            }
        }
        List<ComparedRow> rows = new ArrayList<>();
        keys.forEach((key, template) -> rows.add(new ComparedRow(template.metric(), template.split(), template.model(), template.method(),
                Arrays.asList(values.get(key)))));
        rows.sort(java.util.Comparator.comparing((ComparedRow r) -> metricOrder(r.metric())));
        return new Comparison(columns, rows);
    }

    private static int metricOrder(String metric) {
        return switch (metric) {
            case "accuracy" -> 0;
            case "worstGroupAccuracy" -> 1;
            case "macroF1" -> 2;
            default -> 3;
        };
    }

    private static void put(Map<String, Double[]> values, Map<String, ComparedRow> keys, int n, int i, String metric, String split,
            String model, String method, JsonNode value) {
        if (value == null || !value.isNumber()) {
            return;
        }
        String key = metric + "|" + split + "|" + model + "|" + method;
        keys.computeIfAbsent(key, k -> new ComparedRow(metric, split, model, method, null));
        values.computeIfAbsent(key, k -> new Double[n])[i] = value.asDouble();
    }

    private Optional<PredictionsView> predictionsView(UUID id) {
        return artifacts.forJob(id, ArtifactKind.PREDICTIONS.id()).map(c -> new PredictionsView(c.getId(), c.getSizeBytes(), c.getSha256(),
                "/api/v1/evaluations/" + id + "/predictions.csv"));
    }

    private EvaluationRow row(UUID id) {
        return repository.find(id).orElseThrow(() -> missing(id));
    }

    private EvaluationNotFoundException missing(UUID id) {
        Optional<Job> job = jobs.find(id);
        String message;
        if (job.isEmpty()) {
            message = "no evaluation with id " + id;
        } else if (!job.get().getType().equals(EvaluateConfig.TYPE.name())) {
            message = "job " + id + " is a " + job.get().getType() + " job, not an evaluation";
        } else {
            message = "evaluation " + id + " has no results yet: its job is " + job.get().getStatus();
        }
        return new EvaluationNotFoundException(id, message);
    }

    private static String key(String method, String model, String split) {
        return method + "\u0000" + model + "\u0000" + split;
    }

    private static String number(Double value) {
        return value == null ? "" : Objects.toString(value);
    }

    private static String number(double value) {
        return Double.toString(value);
    }

    private static String csvText(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
