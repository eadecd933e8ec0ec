package org.masktune.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.context.annotation.Lazy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Train jobs shared by the tests of one application context: the first test that asks for a config trains it, the
 * others get the same SUCCEEDED job (keyed by the config's JSON tree, so whitespace does not matter). Only for tests
 * that read the job and its outputs; a test that changes them (adds checkpoints, deletes the job) must train its own.
 */
@TestComponent
@Lazy
public class TrainedJobs {

    private final ApiClient api;
    private final JsonMapper json = JsonMapper.builder().build();
    private final Map<JsonNode, String> byConfig = new ConcurrentHashMap<>();

    public TrainedJobs(ApiClient api) {
        this.api = api;
    }

    /** The id of a SUCCEEDED train job with {@code config}, trained at most once per context. */
    public synchronized String succeeded(String config, Duration timeout) {
        JsonNode key = json.readTree(config);
        String id = byConfig.get(key);
        if (id == null) {
            id = api.submit("train", config);
            JsonNode job = api.awaitTerminal(id, timeout);
            assertThat(job.path("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
            byConfig.put(key, id);
        }
        return id;
    }
}
