package org.masktune.masktune;

import java.util.UUID;
import org.masktune.training.TrainConfig;

/** The TRAIN job a MaskTune job starts from, staged for the child as a JSON file. */
public record SourceRun(UUID jobId, TrainConfig config, String bestSha256, String lastSha256) {
}
