package org.masktune.pipelines;

import java.util.List;
import java.util.Map;
import org.masktune.evaluation.EvaluateConfig;
import org.masktune.evaluation.Evaluations;
import org.masktune.jobs.Job;
import org.masktune.masktune.MaskTuneTask;
import org.masktune.training.CheckpointKinds;
import org.masktune.training.TrainTask;
import org.masktune.training.TrainingJobs;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.json.JsonMapper;

/** What each stage of the MaskTune pipeline runs, given the stages before it. */
@Component
class PipelineStages {

    static final String EVALUATE = "evaluate";

    private final TrainingJobs training;
    private final Evaluations evaluations;
    private final JsonMapper json;

    PipelineStages(TrainingJobs training, Evaluations evaluations, JsonMapper json) {
        this.training = training;
        this.evaluations = evaluations;
        this.json = json;
    }

    /** The checks the first job would make, before anything is created. */
    void checkSubmittable(MaskTunePipelineConfig config) {
        training.checkTrainConfig(PipelineService.trainConfig(config));
    }

    Object configFor(String stage, MaskTunePipelineConfig config, Map<String, Job> done) {
        return switch (stage) {
            case TrainTask.TYPE -> PipelineService.trainConfig(config);
            case MaskTuneTask.TYPE -> config.masktune().withSourceJob(done.get(TrainTask.TYPE).getId());
            case EVALUATE -> new EvaluateConfig(List.of(
                    new EvaluateConfig.ModelRef(done.get(TrainTask.TYPE).getId(), CheckpointKinds.BEST, null),
                    new EvaluateConfig.ModelRef(done.get(MaskTuneTask.TYPE).getId(), CheckpointKinds.FINETUNED, null)),
                    null, null, config.coverages(), null, null);
            default -> throw new IllegalArgumentException("no stage " + stage);
        };
    }

    /**
     * The headline numbers of the finished pipeline: exactly what its evaluation stored, and under {@code masking}
     * each masking round's statistics as the MaskTune stage reported them (masked fractions, rule, shortcut diagnostics).
     */
    JsonNode summary(Map<String, Job> done) {
        JsonNode summary = json.valueToTree(evaluations.compare(List.of(done.get(EVALUATE).getId())));
        Job maskTune = done.get(MaskTuneTask.TYPE);
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
