package org.masktune.pipelines;

import java.util.List;
import java.util.Map;
import org.masktune.evaluation.EvaluateConfig;
import org.masktune.evaluation.Evaluations;
import org.masktune.jobs.Job;
import org.masktune.masktune.MaskTuneConfig;
import org.masktune.runner.JobType;
import org.masktune.artifacts.ArtifactKind;
import org.masktune.training.TrainConfig;
import org.masktune.training.TrainConfigChecks;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.json.JsonMapper;

/** What each stage of the MaskTune pipeline runs, given the stages before it. */
@Component
class PipelineStages {

    /** The stages in the order they run; each is one job of its type. */
    static final List<JobType<?>> STAGES = List.of(TrainConfig.TYPE, MaskTuneConfig.TYPE, EvaluateConfig.TYPE);

    private final TrainConfigChecks trainChecks;
    private final Evaluations evaluations;
    private final JsonMapper json;

    PipelineStages(TrainConfigChecks trainChecks, Evaluations evaluations, JsonMapper json) {
        this.trainChecks = trainChecks;
        this.evaluations = evaluations;
        this.json = json;
    }

    /** The checks the first job would make, before anything is created. */
    void checkSubmittable(MaskTunePipelineConfig config) {
        trainChecks.checkTrainConfig(PipelineService.trainConfig(config));
    }

    /** The config of {@code stage}, given the stages before it ({@code done}, by type name). */
    <C> C configFor(JobType<C> stage, MaskTunePipelineConfig config, Map<String, Job> done) {
        Object stageConfig;
        if (stage.equals(TrainConfig.TYPE)) {
            stageConfig = PipelineService.trainConfig(config);
        } else if (stage.equals(MaskTuneConfig.TYPE)) {
            stageConfig = config.masktune().withSourceJob(done.get(TrainConfig.TYPE.name()).getId());
        } else if (stage.equals(EvaluateConfig.TYPE)) {
            stageConfig = new EvaluateConfig(List.of(
                    new EvaluateConfig.ModelRef(done.get(TrainConfig.TYPE.name()).getId(), ArtifactKind.BEST.id(), null),
                    new EvaluateConfig.ModelRef(done.get(MaskTuneConfig.TYPE.name()).getId(), ArtifactKind.FINETUNED.id(), null)),
                    null, null, config.coverages(), null, null);
        } else {
            throw new IllegalArgumentException("no stage " + stage);
        }
        return stage.configType().cast(stageConfig);
    }

    /**
     * The headline numbers of the finished pipeline: exactly what its evaluation stored, and under {@code masking}
     * each masking round's statistics as the MaskTune stage reported them (masked fractions, rule, shortcut diagnostics).
     */
    JsonNode summary(Map<String, Job> done) {
        JsonNode summary = json.valueToTree(evaluations.compare(List.of(done.get(EvaluateConfig.TYPE.name()).getId())));
        Job maskTune = done.get(MaskTuneConfig.TYPE.name());
        if (summary instanceof ObjectNode object && maskTune != null && maskTune.getResult() != null) {
            ArrayNode rounds = object.putArray("masking");
            for (JsonNode round : json.readTree(maskTune.getResult()).path("rounds")) {
                if (round.has("masking")) {
                    rounds.add(round.get("masking"));
                }
            }
        }
        return summary;
    }
}
