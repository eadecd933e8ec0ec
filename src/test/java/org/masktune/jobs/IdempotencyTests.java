package org.masktune.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.masktune.support.ApiClient;
import org.masktune.support.ApiClient.Response;
import org.masktune.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

@IntegrationTest
class IdempotencyTests {

    @Autowired
    ApiClient api;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void fiftyConcurrentSubmitsWithOneKeyCreateExactlyOneJob() throws Exception {
        String key = "ci-run-" + UUID.randomUUID();
        String body = "{\"matrixSize\":16,\"repeats\":1}";
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            List<Callable<Response>> submits = IntStream.range(0, 50).<Callable<Response>>mapToObj(i -> () -> {
                go.await();
                return api.post("/api/v1/jobs/device-check", body, "Idempotency-Key", key);
            }).toList();
            List<Future<Response>> futures = submits.stream().map(pool::submit).toList();
            go.countDown();
            List<Response> responses = futures.stream().map(f -> {
                try {
                    return f.get();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).toList();

            assertThat(responses).extracting(Response::status).containsOnly(200, 202);
            assertThat(responses).filteredOn(r -> r.status() == 202).hasSize(1);
            assertThat(responses).extracting(r -> r.json().path("id").asString()).containsOnly(responses.get(0).json().path("id").asString());
            assertThat(jdbc.queryForObject("select count(*) from jobs where idempotency_key = ?", Integer.class, key)).isEqualTo(1);
            assertThat(jdbc.queryForObject("select count(*) from scheduled_tasks s join jobs j on s.task_instance = j.id::text"
                    + " where j.idempotency_key = ?", Integer.class, key)).isLessThanOrEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void sameKeyWithAnotherBodyIsAConflict() {
        String key = "ci-run-" + UUID.randomUUID();
        Response first = api.post("/api/v1/jobs/device-check", "{\"matrixSize\":16,\"repeats\":1}", "Idempotency-Key", key);
        assertThat(first.status()).isEqualTo(202);
        Response repeat = api.post("/api/v1/jobs/device-check", "{\"repeats\":1,\"matrixSize\":16}", "Idempotency-Key", key);
        assertThat(repeat.status()).isEqualTo(200);
        assertThat(repeat.json().path("id").asString()).isEqualTo(first.json().path("id").asString());

        Response conflict = api.post("/api/v1/jobs/device-check", "{\"matrixSize\":32,\"repeats\":1}", "Idempotency-Key", key);
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.header("Content-Type")).startsWith("application/problem+json");
        assertThat(conflict.json().path("detail").asString()).contains(key).contains(first.json().path("id").asString());
    }
}
