package org.masktune.training;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.masktune.ml.train.EpochResult;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Epoch history of training and fine-tuning jobs. Upserts, because a resumed run repeats an epoch. */
@Repository
public class EpochMetricsRepository {

    /** One stored epoch. NaN validation values (no validation split) are stored as null. */
    public record EpochMetric(int epoch, Double trainLoss, Double trainAccuracy, Double validationLoss, Double validationAccuracy,
            double learningRate, double seconds, double imagesPerSecond, Instant recordedAt) {
    }

    private final JdbcClient jdbc;

    EpochMetricsRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void save(UUID jobId, EpochResult result, Instant now) {
        jdbc.sql("""
                insert into epoch_metrics (job_id, epoch, train_loss, train_accuracy, validation_loss, validation_accuracy,
                                           learning_rate, seconds, images_per_second, recorded_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (job_id, epoch) do update set
                    train_loss = excluded.train_loss, train_accuracy = excluded.train_accuracy,
                    validation_loss = excluded.validation_loss, validation_accuracy = excluded.validation_accuracy,
                    learning_rate = excluded.learning_rate, seconds = excluded.seconds,
                    images_per_second = excluded.images_per_second, recorded_at = excluded.recorded_at""")
                .params(jobId, result.epoch(), finite(result.trainLoss()), finite(result.trainAccuracy()),
                        finite(result.validationLoss()), finite(result.validationAccuracy()), result.learningRate(),
                        result.seconds(), result.imagesPerSecond(), java.sql.Timestamp.from(now))
                .update();
    }

    public List<EpochMetric> forJob(UUID jobId) {
        return jdbc.sql("""
                select epoch, train_loss, train_accuracy, validation_loss, validation_accuracy, learning_rate, seconds,
                       images_per_second, recorded_at
                from epoch_metrics where job_id = ? order by epoch""")
                .param(jobId)
                .query((rs, i) -> new EpochMetric(rs.getInt(1), (Double) rs.getObject(2), (Double) rs.getObject(3),
                        (Double) rs.getObject(4), (Double) rs.getObject(5), rs.getDouble(6), rs.getDouble(7), rs.getDouble(8),
                        rs.getTimestamp(9).toInstant()))
                .list();
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
