package org.masktune.runner;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where a job's outputs came from, built once per run and kept with every artifact it writes (as the
 * {@code provenance} of its metadata): the job and attempt, its config and seed, the fingerprint of the
 * data it trained on (the config's dataset spec is the transform chain that made it), and the versions
 * and device that computed it.
 *
 * @param seed               the run's random seed, null where it has none
 * @param datasetFingerprint SHA-256 of the training images and labels, null where the job does not train
 * @param appVersion         the service build ({@code Implementation-Version} of its jar; {@code dev} when run from classes)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunProvenance(String jobId, String jobType, int attempt, Object config, Long seed, String datasetFingerprint,
        String djlVersion, String engine, String device, String appVersion) {

    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };

    public static RunProvenance of(TaskContext context, Object config, Long seed, String datasetFingerprint) {
        JobSpec spec = context.spec();
        Engine engine = Engine.getInstance();
        return new RunProvenance(spec.jobId().toString(), spec.type(), spec.attempt(), config, seed, datasetFingerprint,
                Engine.getDjlVersion(), engine.getEngineName() + " " + engine.getVersion(), context.device().toString(), buildVersion());
    }

    static String buildVersion() {
        String version = RunProvenance.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    /** As a JSON object's fields, followed by {@code extras} (what only this artifact knows: its kind, epoch, …). */
    public Map<String, Object> with(JsonMapper json, Map<String, ?> extras) {
        LinkedHashMap<String, Object> fields = json.convertValue(this, MAP);
        fields.putAll(extras);
        return fields;
    }
}
