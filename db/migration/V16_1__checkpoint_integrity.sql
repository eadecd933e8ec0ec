-- Integrity on every read: each chunk keeps the SHA-256 of its bytes (checked by ranged downloads,
-- which cannot use the whole file's digest), and a checkpoint found not to match is marked, so it
-- is refused at once afterwards instead of being served again. Chunks written before have no hash:
-- whole-file reads still check the file's digest.
ALTER TABLE checkpoint_chunks ADD COLUMN sha256 bytea;
ALTER TABLE checkpoints ADD COLUMN corrupt_at timestamptz;
