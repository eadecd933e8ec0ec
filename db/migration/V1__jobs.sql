-- Jobs and their history. Every status change appends a job_events row with its reason.
CREATE TABLE jobs (
    id                 uuid PRIMARY KEY,
    type               text        NOT NULL,
    status             text        NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    priority           integer     NOT NULL DEFAULT 0,
    config             jsonb       NOT NULL,
    result             jsonb,
    idempotency_key    text UNIQUE,
    request_hash       text,
    pipeline_id        uuid,
    attempt            integer     NOT NULL DEFAULT 0,
    max_attempts       integer     NOT NULL,
    device             text,
    worker             text,
    progress           double precision NOT NULL DEFAULT 0 CHECK (progress >= 0 AND progress <= 1),
    progress_message   text,
    cancel_requested   boolean     NOT NULL DEFAULT false,
    error_code         text,
    error_message      text,
    created_at         timestamptz NOT NULL,
    started_at         timestamptz,
    finished_at        timestamptz,
    updated_at         timestamptz NOT NULL,
    version            bigint      NOT NULL DEFAULT 0
);
CREATE INDEX jobs_created_idx ON jobs (created_at DESC, id DESC);
CREATE INDEX jobs_status_created_idx ON jobs (status, created_at DESC);
CREATE INDEX jobs_type_created_idx ON jobs (type, created_at DESC);
CREATE INDEX jobs_pipeline_idx ON jobs (pipeline_id) WHERE pipeline_id IS NOT NULL;

CREATE TABLE job_events (
    id          bigserial PRIMARY KEY,
    job_id      uuid        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    at          timestamptz NOT NULL,
    from_status text,
    to_status   text        NOT NULL,
    reason      text        NOT NULL
);
CREATE INDEX job_events_job_idx ON job_events (job_id, id);

-- db-scheduler's table (see its postgresql_tables.sql): the persistent, multi-instance work queue.
CREATE TABLE scheduled_tasks (
    task_name            text                     NOT NULL,
    task_instance        text                     NOT NULL,
    task_data            bytea,
    execution_time       timestamp with time zone,
    picked               boolean                  NOT NULL,
    picked_by            text,
    last_success         timestamp with time zone,
    last_failure         timestamp with time zone,
    consecutive_failures integer,
    last_heartbeat       timestamp with time zone,
    version              bigint                   NOT NULL,
    priority             smallint,
    state                text,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time);
CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC);
