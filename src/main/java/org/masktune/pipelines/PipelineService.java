package org.masktune.pipelines;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.masktune.evaluation.EvaluateConfig;
import org.masktune.jobs.Idempotency;
import org.masktune.jobs.InvalidJobStateException;
import org.masktune.jobs.Job;
import org.masktune.jobs.JobFinished;
import org.masktune.jobs.JobLookup;
import org.masktune.jobs.JobService;
import org.masktune.jobs.JobStatus;
import org.masktune.runner.JobType;
import org.masktune.training.TrainConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs the MaskTune pipeline: creates the TRAIN job, and each next stage once the previous one
 * succeeded. Advancing is idempotent (each stage's job carries the idempotency key
 * {@code pipeline:<id>:<stage>}), so the event after a job finishes and the periodic sweep that
 * covers an instance dying in between can both try without creating a stage twice.
 */
@Service
public class PipelineService {

    static final String KIND = "masktune";

    private static final Logger log = LoggerFactory.getLogger(PipelineService.class);

    private final PipelineRepository pipelines;
    private final JobService jobs;
    private final JobLookup jobLookup;
    private final PipelineStages stages;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final Clock clock;

    PipelineService(PipelineRepository pipelines, JobService jobs, JobLookup jobLookup, PipelineStages stages, TransactionTemplate tx, JsonMapper json,
            Clock clock) {
        this.pipelines = pipelines;
        this.jobLookup = jobLookup;
        this.jobs = jobs;
        this.stages = stages;
        this.tx = tx;
        this.json = json;
        this.clock = clock;
    }

    public record Creation(PipelineView view, boolean created) {
    }

    public Creation create(MaskTunePipelineConfig config, String idempotencyKey) {
        String configJson = json.writeValueAsString(config);
        if (idempotencyKey != null) {
            Optional<Pipeline> existing = pipelines.findByIdempotencyKey(idempotencyKey);
            if (existing.isPresent()) {
                return replay(existing.get(), configJson, idempotencyKey);
            }
        }
        stages.checkSubmittable(config);
        Pipeline pipeline;
        try {
            pipeline = tx.execute(s -> pipelines.saveAndFlush(new Pipeline(UUID.randomUUID(), KIND, configJson, idempotencyKey, clock.instant())));
        } catch (DataIntegrityViolationException e) {
            Pipeline winner = pipelines.findByIdempotencyKey(idempotencyKey).orElseThrow(() -> e);
            return replay(winner, configJson, idempotencyKey);
        }
        advance(pipeline.getId());
        return new Creation(view(pipeline.getId()), true);
    }

    /** The stored config is jsonb (its keys reordered), so it is read back into the record and serialised again to compare. */
    private Creation replay(Pipeline existing, String configJson, String key) {
        String stored = json.writeValueAsString(json.readValue(existing.getConfig(), MaskTunePipelineConfig.class));
        Idempotency.requireSameRequest(key, existing.getId(), requestHash(stored), requestHash(configJson));
        return new Creation(view(existing.getId()), false);
    }

    private static String requestHash(String configJson) {
        return Idempotency.requestHash("pipeline:" + KIND, 0, configJson);
    }

    public PipelineView view(UUID id) {
        Pipeline pipeline = pipelines.findById(id).orElseThrow(() -> new PipelineNotFoundException(id));
        Map<String, Job> byStage = stageJobs(id);
        List<PipelineView.Stage> views = new ArrayList<>();
        double progress = 0;
        for (JobType<?> stage : PipelineStages.STAGES) {
            String name = stage.name();
            Job job = byStage.get(name);
            views.add(job == null ? new PipelineView.Stage(name, null, null, 0, null, null, null, null)
                    : new PipelineView.Stage(name, job.getId(), job.getStatus(), job.getProgress(), job.getProgressMessage(),
                            job.getErrorCode() == null ? null : job.getErrorCode() + ": " + job.getErrorMessage(),
                            job.getStartedAt(), job.getFinishedAt()));
            progress += job == null ? 0 : job.getProgress();
        }
        JobStatus status = PipelineStatus.of(views, pipeline.isCancelRequested());
        String reason = PipelineStatus.reason(views, status);
        Job evaluation = byStage.get(EvaluateConfig.TYPE.name());
        var summary = status == JobStatus.SUCCEEDED && evaluation != null ? stages.summary(byStage) : null;
        String etag = "\"" + views.stream().map(v -> v.jobId() == null ? "-" : v.status() + ":" + v.progress())
                .reduce(pipeline.isCancelRequested() + "", (a, b) -> a + "|" + b).hashCode() + "\"";
        return new PipelineView(id, pipeline.getKind(), status, reason, progress / PipelineStages.STAGES.size(), pipeline.isCancelRequested(),
                views, json.readTree(pipeline.getConfig()), summary, pipeline.getCreatedAt(), etag);
    }

    /** Stops the pipeline: no further stage is created and every unfinished stage is cancelled. */
    public PipelineView cancel(UUID id) {
        tx.executeWithoutResult(s -> {
            Pipeline pipeline = pipelines.findById(id).orElseThrow(() -> new PipelineNotFoundException(id));
            if (view(id).isTerminal()) {
                throw new InvalidJobStateException("pipeline " + id + " has already finished");
            }
            pipeline.requestCancel(clock.instant());
            pipelines.saveAndFlush(pipeline);
        });
        for (Job job : stageJobs(id).values()) {
            if (!job.getStatus().isTerminal()) {
                try {
                    jobs.cancel(job.getId());
                } catch (InvalidJobStateException e) {
                    log.debug("Stage job {} finished meanwhile", job.getId());
                }
            }
        }
        return view(id);
    }

    /** Creates the next stage if the last one succeeded. Safe to call any number of times, from any instance. */
    public void advance(UUID id) {
        Pipeline pipeline = pipelines.findById(id).orElseThrow(() -> new PipelineNotFoundException(id));
        if (pipeline.isCancelRequested()) {
            return;
        }
        MaskTunePipelineConfig config = json.readValue(pipeline.getConfig(), MaskTunePipelineConfig.class);
        Map<String, Job> byStage = stageJobs(id);
        for (JobType<?> stage : PipelineStages.STAGES) {
            Job job = byStage.get(stage.name());
            if (job == null) {
                submitStage(stage, config, byStage, id);
                return;
            }
            if (job.getStatus() != JobStatus.SUCCEEDED) {
                return;
            }
        }
    }

    private <C> void submitStage(JobType<C> stage, MaskTunePipelineConfig config, Map<String, Job> done, UUID id) {
        jobs.submit(stage, stages.configFor(stage, config, done), "pipeline:" + id + ":" + stage.name(), 0, id);
    }

    @EventListener
    void onJobFinished(JobFinished finished) {
        if (finished.pipelineId() != null && finished.status() == JobStatus.SUCCEEDED) {
            try {
                advance(finished.pipelineId());
            } catch (RuntimeException e) {
                log.error("Could not advance pipeline {} after job {}; the sweep will retry", finished.pipelineId(), finished.jobId(), e);
            }
        }
    }

    /** Covers an instance that died between a stage finishing and the next being created. */
    @Scheduled(fixedDelayString = "${masktune.pipelines.sweep-interval:30s}", initialDelayString = "${masktune.pipelines.sweep-interval:30s}")
    void sweep() {
        for (Pipeline pipeline : pipelines.findUnfinished()) {
            try {
                advance(pipeline.getId());
            } catch (RuntimeException e) {
                log.warn("Sweep could not advance pipeline {}: {}", pipeline.getId(), e.toString());
            }
        }
    }

    private Map<String, Job> stageJobs(UUID pipelineId) {
        Map<String, Job> byStage = new LinkedHashMap<>();
        for (Job job : jobLookup.ofPipeline(pipelineId)) {
            byStage.put(job.getType(), job);
        }
        return byStage;
    }

    static TrainConfig trainConfig(MaskTunePipelineConfig config) {
        return new TrainConfig(config.dataset(), config.model(), config.training(), config.inputNormalization(), config.initialWeights());
    }
}
