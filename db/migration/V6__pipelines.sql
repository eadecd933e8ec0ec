-- A pipeline chains jobs (train -> masktune -> evaluate). Its state is derived from its jobs'.
CREATE TABLE pipelines (
    id               uuid PRIMARY KEY,
    kind             text        NOT NULL,
    config           jsonb       NOT NULL,
    idempotency_key  text UNIQUE,
    cancel_requested boolean     NOT NULL DEFAULT false,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    version          bigint      NOT NULL DEFAULT 0
);
CREATE INDEX pipelines_created_idx ON pipelines (created_at DESC);

ALTER TABLE jobs ADD CONSTRAINT jobs_pipeline_fk FOREIGN KEY (pipeline_id) REFERENCES pipelines (id) ON DELETE SET NULL;
