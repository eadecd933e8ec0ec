-- User datasets registered by name. Built-ins (mnist-10k, biased-mnist) are not stored: the service
-- describes them from the classpath, and their names are reserved here too.
CREATE TABLE datasets (
    name        text PRIMARY KEY
                CHECK (name ~ '^[a-z0-9][a-z0-9-]{0,62}$' AND name NOT IN ('mnist-10k', 'biased-mnist')),
    -- the DatasetSpec as registered, defaults filled in; its path is relative to a data root
    spec        jsonb       NOT NULL,
    -- JSON array, one entry per split in reader order (jsonb objects do not keep key order):
    -- {name, count, classes, channels, height, width, groups: [{name, count}] | null, attributes, fingerprint}
    splits      jsonb       NOT NULL CHECK (jsonb_typeof(splits) = 'array'),
    -- SHA-256 over every split (see DatasetInfo.fingerprint), lower-case hex
    fingerprint text        NOT NULL CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
    created_at  timestamptz NOT NULL
);
