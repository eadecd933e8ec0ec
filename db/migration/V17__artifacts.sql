-- The checkpoint tables hold every job output (model checkpoints, masks, previews, prediction CSVs),
-- so they take the name the code and the API use: artifacts. A rename keeps every row, chunk, TOAST
-- slice and the chunks' EXTERNAL storage; nothing is copied. The API keeps its field names
-- ("checkpoints", "checkpointBytes" in the storage report and the metrics).
ALTER TABLE checkpoints RENAME TO artifacts;
ALTER TABLE checkpoint_chunks RENAME TO artifact_chunks;
ALTER TABLE artifact_chunks RENAME COLUMN checkpoint_id TO artifact_id;

ALTER INDEX checkpoints_job_kind_complete_uq RENAME TO artifacts_job_kind_complete_uq;
ALTER INDEX checkpoints_job_idx RENAME TO artifacts_job_idx;
ALTER INDEX checkpoints_incomplete_idx RENAME TO artifacts_incomplete_idx;

-- the constraints PostgreSQL named after the tables (primary keys, foreign keys, checks)
DO $$
DECLARE
    c record;
BEGIN
    FOR c IN SELECT conname, conrelid::regclass AS tbl FROM pg_constraint
             WHERE conrelid IN ('artifacts'::regclass, 'artifact_chunks'::regclass) AND conname LIKE 'checkpoint%'
    LOOP
        EXECUTE format('ALTER TABLE %s RENAME CONSTRAINT %I TO %I', c.tbl, c.conname,
                       replace(replace(replace(c.conname, 'checkpoint_id', 'artifact_id'),
                                       'checkpoint_chunks', 'artifact_chunks'), 'checkpoints', 'artifacts'));
    END LOOP;
END $$;
