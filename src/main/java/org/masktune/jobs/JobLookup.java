package org.masktune.jobs;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.masktune.runner.JobType;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * How other features read jobs: typed, read-only lookups, so that only this package knows the repository.
 * A bean of its own, not part of {@link JobService}, because handlers use it and {@link JobService} uses the handlers.
 */
@Component
public class JobLookup {

    private final JobRepository jobs;
    private final JsonMapper json;

    JobLookup(JobRepository jobs, JsonMapper json) {
        this.jobs = jobs;
        this.json = json;
    }

    public Job get(UUID id) {
        return jobs.findById(id).orElseThrow(() -> new JobNotFoundException(id));
    }

    public Optional<Job> find(UUID id) {
        return jobs.findById(id);
    }

    public boolean exists(UUID id) {
        return jobs.existsById(id);
    }

    /** The job's version (bumped by every change), read by primary key: what long-polls wait on. */
    public Optional<Long> version(UUID id) {
        return jobs.findVersion(id);
    }

    /** A pipeline's stage jobs, oldest first. */
    public List<Job> ofPipeline(UUID pipelineId) {
        return jobs.findByPipelineIdOrderByCreatedAt(pipelineId);
    }

    /** The job's stored config as its typed record; the job must be of {@code type}. */
    public <C> C config(Job job, JobType<C> type) {
        if (!type.is(job.getType())) {
            throw new IllegalArgumentException("job " + job.getId() + " is a " + job.getType() + " job, not " + type);
        }
        return json.readValue(job.getConfig(), type.configType());
    }

    /**
     * The SUCCEEDED job of {@code type} a config refers to in {@code field}, else a 400 naming the field: {@code needs}
     * says what for, e.g. "MaskTune needs".
     */
    public Job requireSucceeded(UUID id, JobType<?> type, String field, String needs) {
        Job job = jobs.findById(id).orElseThrow(() -> new InvalidJobConfigException(field, "no job with id " + id));
        if (!type.is(job.getType())) {
            throw new InvalidJobConfigException(field, "job " + id + " is a " + job.getType() + " job; " + needs + " a " + type + " job");
        }
        if (job.getStatus() != JobStatus.SUCCEEDED) {
            throw new InvalidJobConfigException(field, type + " job " + id + " is " + job.getStatus() + "; " + needs
                    + " a SUCCEEDED one");
        }
        return job;
    }
}
