package org.masktune.runner;

import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * What the parent hands a child JVM: which job, its typed config as JSON, the device to use, a
 * private work directory for outputs, and input files the parent fetched (e.g. checkpoints).
 *
 * @param device "cpu" or "gpu" (the parent sets CUDA_VISIBLE_DEVICES, so the child always uses GPU 0)
 */
public record JobSpec(UUID jobId, String type, int attempt, JsonNode config, String device, String workDir,
        Map<String, String> inputs) {

    public JobSpec {
        inputs = inputs == null ? Map.of() : Map.copyOf(inputs);
    }
}
