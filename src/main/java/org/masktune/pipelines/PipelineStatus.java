package org.masktune.pipelines;

import java.util.List;
import org.masktune.jobs.JobStatus;

/** The overall state of a pipeline, derived from its stages. */
final class PipelineStatus {

    private PipelineStatus() {
    }

    static JobStatus of(List<PipelineView.Stage> stages, boolean cancelRequested) {
        boolean anyActive = false;
        for (PipelineView.Stage stage : stages) {
            if (stage.status() == JobStatus.FAILED) {
                return JobStatus.FAILED;
            }
            if (stage.status() == JobStatus.CANCELLED) {
                return JobStatus.CANCELLED;
            }
            anyActive |= stage.status() == JobStatus.QUEUED || stage.status() == JobStatus.RUNNING;
        }
        if (stages.stream().allMatch(s -> s.status() == JobStatus.SUCCEEDED)) {
            return JobStatus.SUCCEEDED;
        }
        if (cancelRequested && !anyActive) {
            return JobStatus.CANCELLED;
        }
        boolean started = stages.stream().anyMatch(s -> s.status() == JobStatus.RUNNING || s.status() == JobStatus.SUCCEEDED);
        return started ? JobStatus.RUNNING : JobStatus.QUEUED;
    }

    static String reason(List<PipelineView.Stage> stages, JobStatus status) {
        for (PipelineView.Stage stage : stages) {
            if (stage.status() == JobStatus.FAILED) {
                return "stage " + stage.name() + " failed: " + stage.error();
            }
            if (stage.status() == JobStatus.CANCELLED) {
                return "stage " + stage.name() + " was cancelled";
            }
        }
        return status == JobStatus.CANCELLED ? "cancelled before the next stage started" : null;
    }
}
