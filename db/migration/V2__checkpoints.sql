-- Checkpoint files (model weights) live in the database, bytes included, so every instance can serve
-- every download without a shared filesystem.
--
-- A checkpoint is written in two steps: a header row with complete = false, then its chunks in
-- several short transactions, then one final transaction that stores size and digest, sets
-- complete = true and deletes the checkpoint it replaces. Only complete rows are ever read, so a
-- writer that dies half-way leaves nothing visible; its leftovers are removed later
-- (CheckpointStore.removeIncomplete, and each store() for the same job).
CREATE TABLE checkpoints (
    id           uuid PRIMARY KEY,
    job_id       uuid        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    kind         text        NOT NULL CHECK (kind ~ '^[a-z0-9-]+$'),
    epoch        integer,
    architecture text,
    -- bytes per chunk when written; readers use this, not a constant, to map offsets to chunks
    chunk_size   integer     NOT NULL CHECK (chunk_size > 0),
    size_bytes   bigint CHECK (size_bytes >= 0),
    sha256       text CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    metadata     jsonb,
    complete     boolean     NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL,
    CHECK (NOT complete OR (size_bytes IS NOT NULL AND sha256 IS NOT NULL))
);
-- At most one visible checkpoint per job and kind ("best", "last", "resume" are replaced, not appended).
CREATE UNIQUE INDEX checkpoints_job_kind_complete_uq ON checkpoints (job_id, kind) WHERE complete;
CREATE INDEX checkpoints_job_idx ON checkpoints (job_id, created_at);
CREATE INDEX checkpoints_incomplete_idx ON checkpoints (created_at) WHERE NOT complete;

CREATE TABLE checkpoint_chunks (
    checkpoint_id uuid    NOT NULL REFERENCES checkpoints (id) ON DELETE CASCADE,
    seq           integer NOT NULL CHECK (seq >= 0),
    bytes         bytea   NOT NULL,
    PRIMARY KEY (checkpoint_id, seq)
);
-- Weights do not compress; EXTERNAL skips pglz and lets substring() fetch only the TOAST slices a
-- byte range needs instead of de-toasting the whole 1 MiB chunk.
ALTER TABLE checkpoint_chunks ALTER COLUMN bytes SET STORAGE EXTERNAL;
