package org.masktune.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Test;
import org.masktune.support.TestDatabase;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * V17 renames the checkpoint tables to artifacts: rows written by a service on the schema before it
 * (16.1) are still there afterwards, byte for byte, with their chunk hashes, constraints and storage.
 */
class ArtifactTablesMigrationTest {

    @Test
    void artifactsStoredBeforeTheRenameAreKeptWithTheirChunksAndConstraints() throws Exception {
        try (TestDatabase.Standalone db = TestDatabase.startStandalone()) {
            DriverManagerDataSource dataSource = new DriverManagerDataSource(db.jdbcUrl(), db.username(), db.password());
            JdbcTemplate jdbc = new JdbcTemplate(dataSource);
            flyway(dataSource).target("16.1").load().migrate();

            UUID job = UUID.randomUUID();
            UUID checkpoint = UUID.randomUUID();
            byte[] bytes = new byte[3000];
            new Random(7).nextBytes(bytes);
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            jdbc.update("""
                    insert into jobs (id, type, status, config, max_attempts, created_at, updated_at)
                    values (?, 'train', 'SUCCEEDED', '{}'::jsonb, 1, now(), now())""", job);
            jdbc.update("""
                    insert into checkpoints (id, job_id, kind, epoch, architecture, chunk_size, size_bytes, sha256, metadata,
                                             complete, created_at)
                    values (?, ?, 'best', 3, 'small-cnn', 2048, ?, ?, '{"seed": 1}'::jsonb, true, now())""",
                    checkpoint, job, bytes.length, sha);
            for (int seq = 0; seq < 2; seq++) {
                byte[] chunk = Arrays.copyOfRange(bytes, seq * 2048, Math.min(bytes.length, (seq + 1) * 2048));
                jdbc.update("insert into checkpoint_chunks (checkpoint_id, seq, bytes, sha256) values (?, ?, ?, ?)",
                        checkpoint, seq, chunk, MessageDigest.getInstance("SHA-256").digest(chunk));
            }

            flyway(dataSource).load().migrate();

            Map<String, Object> row = jdbc.queryForMap("select * from artifacts where id = ?", checkpoint);
            assertThat(row).containsEntry("job_id", job).containsEntry("kind", "best").containsEntry("epoch", 3)
                    .containsEntry("sha256", sha).containsEntry("complete", true);
            byte[] read = jdbc.query("select bytes from artifact_chunks where artifact_id = ? order by seq", rs -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                while (rs.next()) {
                    out.writeBytes(rs.getBytes(1));
                }
                return out.toByteArray();
            }, checkpoint);
            assertThat(read).isEqualTo(bytes);
            assertThat(jdbc.queryForObject("select to_regclass('checkpoints') is null and to_regclass('checkpoint_chunks') is null",
                    Boolean.class)).isTrue();
            List<String> constraints = jdbc.queryForList("""
                    select conname from pg_constraint where conrelid in ('artifacts'::regclass, 'artifact_chunks'::regclass)
                    order by conname""", String.class);
            assertThat(constraints).contains("artifacts_pkey", "artifacts_job_id_fkey", "artifact_chunks_pkey",
                    "artifact_chunks_artifact_id_fkey").noneMatch(name -> name.startsWith("checkpoint"));
            assertThat(jdbc.queryForObject("""
                    select attstorage from pg_attribute where attrelid = 'artifact_chunks'::regclass and attname = 'bytes'""",
                    String.class)).as("chunks stay uncompressed (EXTERNAL)").isEqualTo("e");
            // deleting the job still cascades through both renamed foreign keys
            jdbc.update("delete from jobs where id = ?", job);
            assertThat(jdbc.queryForObject("select count(*) from artifact_chunks", Integer.class)).isZero();
        }
    }

    private static FluentConfiguration flyway(DriverManagerDataSource dataSource) {
        return Flyway.configure().dataSource(dataSource).locations("classpath:db/migration");
    }
}
