-- Registration answers at once (202); the folder is decoded into the decoded cache in the background and
-- the row shows how far it got. Rows from before this migration were validated synchronously: READY.
ALTER TABLE datasets
    ADD COLUMN status        text    NOT NULL DEFAULT 'READY' CHECK (status IN ('PREPARING', 'READY', 'FAILED')),
    -- images decoded so far and in all (total unknown until the reader has listed the files)
    ADD COLUMN images_done   bigint  NOT NULL DEFAULT 0 CHECK (images_done >= 0),
    ADD COLUMN images_total  bigint  CHECK (images_total >= 0),
    -- FAILED: the unreadable file, relative to the data root (null when no single file is at fault), and why
    ADD COLUMN error_file    text,
    ADD COLUMN error_message text,
    ADD COLUMN updated_at    timestamptz;
-- the summary exists once the data has been read
ALTER TABLE datasets ALTER COLUMN splits DROP NOT NULL, ALTER COLUMN fingerprint DROP NOT NULL;
ALTER TABLE datasets ADD CONSTRAINT datasets_ready_has_summary
    CHECK (status <> 'READY' OR (splits IS NOT NULL AND fingerprint IS NOT NULL));
ALTER TABLE datasets ADD CONSTRAINT datasets_failed_says_why
    CHECK (status <> 'FAILED' OR error_message IS NOT NULL);
