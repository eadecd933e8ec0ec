-- What each job's child JVM printed (stderr and non-protocol stdout lines), kept in the database so any
-- instance can serve and follow it. Appended in chunks of whole lines; start_offset is the byte offset of
-- the chunk in the job's log (UTF-8), so a reader resumes at any offset. Capped per job by the writer
-- (masktune.logs.max-bytes-per-job); the cap is stated in the log when hit.
CREATE TABLE job_logs (
    job_id       uuid        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    seq          integer     NOT NULL CHECK (seq >= 0),
    start_offset bigint      NOT NULL CHECK (start_offset >= 0),
    bytes        bytea       NOT NULL,
    written_at   timestamptz NOT NULL,
    PRIMARY KEY (job_id, seq)
);
CREATE INDEX job_logs_offset_idx ON job_logs (job_id, start_offset);

-- Retention and metrics look jobs up by when they finished.
CREATE INDEX jobs_finished_idx ON jobs (finished_at) WHERE finished_at IS NOT NULL;

-- Set when retention (masktune.retention.artifacts-after) deleted the job's checkpoints and log but kept its row.
ALTER TABLE jobs ADD COLUMN artifacts_deleted_at timestamptz;
