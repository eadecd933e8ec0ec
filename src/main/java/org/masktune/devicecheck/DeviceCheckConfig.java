package org.masktune.devicecheck;

import org.masktune.devicecheck.task.DeviceCheckTask;
import org.masktune.runner.JobType;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * A job that proves a worker can run libtorch on its device and how fast: it times an n×n matrix
 * multiply there. {@code holdSeconds} keeps it running afterwards (reporting progress, honouring
 * cancel), which is handy to watch the pool, long-polls and cancellation work; {@code logBytes} prints
 * that much to stderr, to watch the job log.
 */
@Schema(description = "Times a square matrix multiply on the device the worker lends")
public record DeviceCheckConfig(
        @Schema(description = "Side of the square matrices", example = "1024", defaultValue = "1024")
        @Min(1) @Max(8192) Integer matrixSize,
        @Schema(description = "Timed multiplies after one warm-up", example = "5", defaultValue = "5")
        @Min(1) @Max(100) Integer repeats,
        @Schema(description = "Seconds to stay running after the measurement", example = "0", defaultValue = "0")
        @Min(0) @Max(3600) Integer holdSeconds,
        @Schema(description = "Bytes of filler lines to print to stderr after the measurement, to try the job log and its cap",
                example = "0", defaultValue = "0")
        @Min(0) @Max(67108864) Integer logBytes) {

    public static final JobType<DeviceCheckConfig> TYPE = new JobType<>("device-check", DeviceCheckConfig.class, DeviceCheckTask.class);

    public DeviceCheckConfig {
        matrixSize = matrixSize == null ? 1024 : matrixSize;
        repeats = repeats == null ? 5 : repeats;
        holdSeconds = holdSeconds == null ? 0 : holdSeconds;
        logBytes = logBytes == null ? 0 : logBytes;
    }

    public static DeviceCheckConfig defaults() {
        return new DeviceCheckConfig(null, null, null, null);
    }
}
