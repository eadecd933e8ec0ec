package org.masktune.evaluation;

import org.masktune.evaluation.task.EvaluateTask;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.masktune.artifacts.ArtifactStore;
import org.masktune.evaluation.EvaluationPlan.PlannedModel;
import org.masktune.jobs.Job;
import org.masktune.jobs.JobHandler;
import org.masktune.runner.JobType;
import org.masktune.runner.ChildEvent;
import org.masktune.datasets.DatasetRegistry;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Service side of EVALUATE: the models must be finished train/masktune jobs' checkpoints (or model
 * checkpoints by id) with the same class count; their files are staged (each verified against its
 * SHA-256) with the dataset and the plan; each split's results and the predictions CSV are stored.
 */
@Component
class EvaluateHandler implements JobHandler<EvaluateConfig> {

    private final EvaluationSources sources;
    private final EvaluationRepository evaluations;
    private final ArtifactStore checkpoints;
    private final DatasetRegistry datasets;
    private final JsonMapper json;
    private final Clock clock;

    EvaluateHandler(EvaluationSources sources, EvaluationRepository evaluations, ArtifactStore checkpoints, DatasetRegistry datasets,
            JsonMapper json, Clock clock) {
        this.sources = sources;
        this.evaluations = evaluations;
        this.checkpoints = checkpoints;
        this.datasets = datasets;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public JobType<EvaluateConfig> type() {
        return EvaluateConfig.TYPE;
    }

    @Override
    public void checkSubmittable(EvaluateConfig config) {
        sources.resolve(config);
    }

    @Override
    public Map<String, String> prepareInputs(Job job, EvaluateConfig config, Path workDir) throws IOException {
        EvaluationPlan plan = sources.resolve(config);
        Map<String, String> inputs = new LinkedHashMap<>(datasets.stage(plan.dataset()).inputs());
        for (PlannedModel model : plan.models()) {
            Path file = workDir.resolve(model.input() + ".ckpt");
            checkpoints.copyTo(model.checkpoint(), file);
            inputs.put(model.input(), file.toString());
        }
        Path planFile = workDir.resolve("plan.json");
        json.writeValue(planFile.toFile(), plan);
        inputs.put(EvaluateTask.PLAN_INPUT, planFile.toString());
        evaluations.start(job.getId(), json.writeValueAsString(plan.models()), json.writeValueAsString(plan.dataset()), clock.instant());
        return inputs;
    }

    @Override
    public void onEvent(Job job, ChildEvent event, Path workDir) throws IOException {
        if (event.is(EvaluateEvents.SPLIT)) {
            evaluations.saveSplit(job.getId(), json.treeToValue(event.body(), EvaluateEvents.SplitResult.class));
        } else {
            throw new IllegalStateException("unexpected event from an evaluate job: " + event.event());
        }
    }
}
