package org.masktune.retention;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Jobs")
class StorageController {

    private final JobDeletion deletion;
    private final Storage storage;

    StorageController(JobDeletion deletion, Storage storage) {
        this.deletion = deletion;
        this.storage = storage;
    }

    @DeleteMapping("/api/v1/jobs/{id}")
    @Operation(summary = "Delete a finished job with its checkpoints, metrics, log and evaluation results",
            description = "409 for a queued or running job, and (unless cascade=true) when an evaluation, a MaskTune job or a"
                    + " pipeline still refers to it; the problem lists them under \"dependants\". With cascade=true those go"
                    + " too, and a pipeline goes whole. The answer says what was removed and how many bytes were freed.")
    JobDeletion.Result delete(@PathVariable UUID id,
            @Parameter(description = "Also delete every job and pipeline that refers to this job")
            @RequestParam(defaultValue = "false") boolean cascade) {
        return deletion.delete(id, cascade);
    }

    @GetMapping("/api/v1/jobs/{id}/storage")
    @Operation(summary = "Bytes the job keeps in the database: checkpoints and log")
    Storage.JobStorage jobStorage(@PathVariable UUID id) {
        return storage.job(id);
    }

    @GetMapping("/api/v1/storage")
    @Operation(summary = "Bytes kept by all jobs, the checkpoint chunk table on disk and the whole database")
    Storage.Totals totals() {
        return storage.totals();
    }
}
