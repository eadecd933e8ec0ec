-- One row per finished epoch of a training or fine-tuning job. A resumed run re-writes the epoch it repeats.
CREATE TABLE epoch_metrics (
    job_id              uuid             NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    epoch               integer          NOT NULL CHECK (epoch >= 1),
    train_loss          double precision,
    train_accuracy      double precision,
    validation_loss     double precision,
    validation_accuracy double precision,
    learning_rate       double precision NOT NULL,
    seconds             double precision NOT NULL,
    images_per_second   double precision NOT NULL,
    recorded_at         timestamptz      NOT NULL,
    PRIMARY KEY (job_id, epoch)
);
