-- EVALUATE jobs: what was measured (one or two models on a dataset) and every number it gave.
-- An evaluation's id is its job's id; the row is written when a worker starts the job, and a re-run
-- after a dead worker clears the results of the earlier attempt before writing its own.
CREATE TABLE evaluations (
    id         uuid PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
    -- the resolved models, in order (first = ERM, second = MaskTune):
    -- [{label, job, jobType, kind, checkpoint, sha256, architecture, classes}]
    models     jsonb       NOT NULL,
    -- the DatasetSpec the splits were loaded with (defaults filled in)
    dataset    jsonb       NOT NULL,
    created_at timestamptz NOT NULL
);

-- Classification metrics of one model on one split: accuracy, per class, confusion, per group,
-- worst-group, averages, NLL, ECE; for 'combined' (the product-softmax prediction of a pair) also
-- the agreement selector's operating point. NaN values (e.g. a class without samples) are null.
CREATE TABLE evaluation_results (
    evaluation_id uuid  NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
    model         text  NOT NULL CHECK (model IN ('erm', 'masktune', 'combined')),
    split         text  NOT NULL,
    -- position of the split in the evaluation (validation first), for listing in that order
    split_index   integer NOT NULL CHECK (split_index >= 0),
    metrics       jsonb NOT NULL,
    PRIMARY KEY (evaluation_id, model, split)
);

-- One selective-classification method (max-softmax of one model; product-softmax and agreement of a
-- pair, model 'combined') on one split, with the area under its FULL risk-coverage curve.
CREATE TABLE selective_summaries (
    evaluation_id uuid             NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
    method        text             NOT NULL CHECK (method IN ('max-softmax', 'product-softmax', 'agreement')),
    model         text             NOT NULL CHECK (model IN ('erm', 'masktune', 'combined')),
    split         text             NOT NULL,
    split_index   integer          NOT NULL CHECK (split_index >= 0),
    samples       integer          NOT NULL CHECK (samples > 0),
    aurc          double precision NOT NULL,
    -- points of the full curve (one per distinct confidence) before it was downsampled for storage
    curve_points  integer          NOT NULL,
    PRIMARY KEY (evaluation_id, method, model, split)
);

-- The points of each method's curves, one row per point rather than one jsonb array per curve: the
-- calibrated operating points can then be selected, joined and compared across evaluations with plain
-- SQL (e.g. risk at 95 % target coverage), the CSV export is a single query, and a curve is at most
-- 1,000 rows. kind:
--   calibrated: threshold calibrated on the validation split at target_coverage (percent), as the reference does;
--   curve:      the risk-coverage curve over all thresholds, downsampled to <= 1,000 points (target_coverage null);
--   operating:  agreement only, the fixed-threshold rule (agreementThreshold, optional per-class weights).
-- accuracy and risk are null when no sample is accepted.
CREATE TABLE selective_curves (
    evaluation_id   uuid             NOT NULL,
    method          text             NOT NULL,
    model           text             NOT NULL,
    split           text             NOT NULL,
    kind            text             NOT NULL CHECK (kind IN ('calibrated', 'curve', 'operating')),
    seq             integer          NOT NULL CHECK (seq >= 0),
    target_coverage double precision CHECK ((kind = 'calibrated') = (target_coverage IS NOT NULL)),
    threshold       double precision NOT NULL,
    accepted        integer          NOT NULL CHECK (accepted >= 0),
    coverage        double precision NOT NULL,
    accuracy        double precision,
    risk            double precision,
    PRIMARY KEY (evaluation_id, method, model, split, kind, seq),
    FOREIGN KEY (evaluation_id, method, model, split)
        REFERENCES selective_summaries (evaluation_id, method, model, split) ON DELETE CASCADE
);
