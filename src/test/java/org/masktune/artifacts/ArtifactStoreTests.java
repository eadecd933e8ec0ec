package org.masktune.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.masktune.artifacts.ArtifactTestData.SIZE;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.masktune.jobs.JobNotFoundException;
import org.masktune.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** ArtifactStore against the real database: chunking, replacement, verification on staging, cleanup. */
@IntegrationTest
class ArtifactStoreTests {

    @Autowired
    ArtifactStore store;

    @Autowired
    JdbcTemplate jdbc;

    @TempDir
    Path dir;

    private UUID jobId;

    @BeforeEach
    void insertJob() {
        jobId = ArtifactTestData.insertJob(jdbc);
    }

    @Test
    void storesTheFileInOneMebibyteChunksWithSizeAndDigest() throws IOException {
        byte[] bytes = ArtifactTestData.randomBytes(SIZE, 1);
        Artifact stored = store.store(jobId, "last", 3, "small-cnn", ArtifactTestData.write(dir, "last.ckpt", bytes), null);

        assertThat(stored.getSizeBytes()).isEqualTo(SIZE);
        assertThat(stored.getSha256()).isEqualTo(ArtifactTestData.sha256(bytes));
        assertThat(stored.isComplete()).isTrue();
        assertThat(stored.getMetadata()).isNull();
        assertThat(jdbc.queryForList("select octet_length(bytes) from artifact_chunks where artifact_id = ? order by seq",
                Integer.class, stored.getId()))
                .containsExactly(ArtifactStore.CHUNK_SIZE, ArtifactStore.CHUNK_SIZE, SIZE - 2 * ArtifactStore.CHUNK_SIZE);

        Path copy = dir.resolve("staged/last.ckpt");
        store.copyTo(stored.getId(), copy);
        assertThat(Files.readAllBytes(copy)).isEqualTo(bytes);

        try (InputStream range = store.openRange(stored, ArtifactStore.CHUNK_SIZE - 3, 6)) {
            assertThat(range.readAllBytes()).isEqualTo(Arrays.copyOfRange(bytes, ArtifactStore.CHUNK_SIZE - 3, ArtifactStore.CHUNK_SIZE + 3));
        }
    }

    @Test
    void anEmptyFileIsAValidCheckpoint() throws IOException {
        Artifact stored = store.store(jobId, "empty", null, null, ArtifactTestData.write(dir, "empty", new byte[0]), "{}");
        assertThat(stored.getSizeBytes()).isZero();
        assertThat(stored.getSha256()).isEqualTo(ArtifactTestData.sha256(new byte[0]));
        Path copy = dir.resolve("empty.copy");
        store.copyTo(stored.getId(), copy);
        assertThat(copy).isEmptyFile();
    }

    @Test
    void replacingBestKeepsExactlyOneVisibleBestWithTheNewDigest() throws IOException {
        byte[] first = ArtifactTestData.randomBytes(SIZE, 2);
        byte[] second = ArtifactTestData.randomBytes(ArtifactStore.CHUNK_SIZE + 1, 3);
        Artifact old = store.store(jobId, "best", 1, "resnet18", ArtifactTestData.write(dir, "e1", first), "{\"epoch\":1}");
        Artifact last = store.store(jobId, "last", 1, "resnet18", ArtifactTestData.write(dir, "l1", first), null);
        Artifact better = store.store(jobId, "best", 2, "resnet18", ArtifactTestData.write(dir, "e2", second), "{\"epoch\":2}");

        assertThat(store.forJob(jobId, "best")).get().satisfies(best -> {
            assertThat(best.getId()).isEqualTo(better.getId());
            assertThat(best.getSha256()).isEqualTo(ArtifactTestData.sha256(second));
            assertThat(best.getEpoch()).isEqualTo(2);
        });
        assertThat(store.forJob(jobId)).extracting(Artifact::getId).containsExactlyInAnyOrder(last.getId(), better.getId());
        assertThat(store.find(old.getId())).isEmpty();
        assertThat(jdbc.queryForObject("select count(*) from artifact_chunks where artifact_id = ?", Integer.class, old.getId()))
                .as("the replaced checkpoint's bytes are gone").isZero();
        assertThat(jdbc.queryForObject("select count(*) from artifacts where job_id = ? and kind = 'best'", Integer.class, jobId))
                .isEqualTo(1);
    }

    @Test
    void tamperedBytesFailStagingAndLeaveNoFile() throws IOException {
        byte[] bytes = ArtifactTestData.randomBytes(SIZE, 4);
        Artifact stored = store.store(jobId, "best", 5, "resnet18", ArtifactTestData.write(dir, "best", bytes), null);
        jdbc.update("update artifact_chunks set bytes = overlay(bytes placing '\\xdeadbeef'::bytea from 100) where artifact_id = ? and seq = 1",
                stored.getId());
        Path staging = Files.createDirectories(dir.resolve("staging"));
        Path target = staging.resolve("model.ckpt");

        assertThatThrownBy(() -> store.copyTo(stored.getId(), target))
                .isInstanceOfSatisfying(ArtifactCorruptException.class, e -> {
                    assertThat(e.id()).isEqualTo(stored.getId());
                    assertThat(e.expectedSha256()).isEqualTo(ArtifactTestData.sha256(bytes));
                    assertThat(e.actualSha256()).hasSize(64).isNotEqualTo(e.expectedSha256());
                    assertThat(e.getMessage()).contains(stored.getId().toString(), e.expectedSha256(), e.actualSha256());
                });
        assertThat(target).doesNotExist();
        try (Stream<Path> left = Files.list(staging)) {
            assertThat(left).as("no partial file left behind").isEmpty();
        }
    }

    @Test
    void aMissingChunkIsCorruptionToo() throws IOException {
        Artifact stored = store.store(jobId, "best", 5, null,
                ArtifactTestData.write(dir, "best", ArtifactTestData.randomBytes(SIZE, 5)), null);
        jdbc.update("delete from artifact_chunks where artifact_id = ? and seq = 2", stored.getId());
        Path target = dir.resolve("model.ckpt");
        assertThatThrownBy(() -> store.copyTo(stored.getId(), target)).isInstanceOf(ArtifactCorruptException.class)
                .hasMessageContaining(2L * ArtifactStore.CHUNK_SIZE + " of " + SIZE + " bytes");
        assertThat(target).doesNotExist();
    }

    @Test
    void rangeReadsTouchOnlyTheChunksTheyOverlap() throws IOException {
        byte[] bytes = ArtifactTestData.randomBytes(SIZE, 6);
        Artifact stored = store.store(jobId, "best", 5, null, ArtifactTestData.write(dir, "best", bytes), null);
        jdbc.update("delete from artifact_chunks where artifact_id = ? and seq in (0, 2)", stored.getId());

        try (InputStream middle = store.openRange(stored, ArtifactStore.CHUNK_SIZE + 10, 100)) {
            assertThat(middle.readAllBytes()).isEqualTo(Arrays.copyOfRange(bytes, ArtifactStore.CHUNK_SIZE + 10, ArtifactStore.CHUNK_SIZE + 110));
        }
        try (InputStream spanning = store.openRange(stored, 2L * ArtifactStore.CHUNK_SIZE - 10, 20)) {
            assertThatThrownBy(spanning::readAllBytes).isInstanceOf(IOException.class).hasMessageContaining("chunk 2");
        }
    }

    @Test
    void copyingAnUnknownCheckpointNamesIt() {
        UUID id = UUID.randomUUID();
        assertThatThrownBy(() -> store.copyTo(id, dir.resolve("x"))).isInstanceOf(ArtifactNotFoundException.class)
                .hasMessageContaining(id.toString());
    }

    @Test
    void abandonedIncompleteCheckpointsAreCleanedUp() throws IOException {
        UUID abandoned = insertIncomplete(jobId, "resume", Duration.ofHours(2));
        UUID otherJob = ArtifactTestData.insertJob(jdbc);
        UUID elsewhere = insertIncomplete(otherJob, "resume", Duration.ofHours(2));
        UUID inProgress = insertIncomplete(otherJob, "best", Duration.ZERO);

        store.store(jobId, "resume", 1, null, ArtifactTestData.write(dir, "r", new byte[] {1, 2, 3}), null);
        assertThat(exists(abandoned)).as("the next write for the job removes its stale leftovers").isFalse();
        assertThat(exists(elsewhere)).isTrue();

        assertThat(store.removeIncomplete(Duration.ofHours(1))).isEqualTo(1);
        assertThat(exists(elsewhere)).isFalse();
        assertThat(exists(inProgress)).as("a write still within stale-after is left alone").isTrue();
        assertThat(jdbc.queryForObject("select count(*) from artifact_chunks where artifact_id in (?, ?)", Integer.class,
                abandoned, elsewhere)).isZero();
    }

    @Test
    void rejectsBadInput() throws IOException {
        Path file = ArtifactTestData.write(dir, "f", new byte[] {1});
        assertThatThrownBy(() -> store.store(jobId, "Best!", 1, null, file, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[a-z0-9-]+");
        assertThatThrownBy(() -> store.store(jobId, "best", 1, null, file, "{not json")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("metadata");
        assertThatThrownBy(() -> store.store(jobId, "best", 1, null, dir.resolve("missing"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing");
        UUID unknownJob = UUID.randomUUID();
        assertThatThrownBy(() -> store.store(unknownJob, "best", 1, null, file, null)).isInstanceOf(JobNotFoundException.class);
        assertThat(store.forJob(jobId)).isEmpty();
    }

    private UUID insertIncomplete(UUID job, String kind, Duration age) {
        UUID id = UUID.randomUUID();
        jdbc.update("""
                insert into artifacts (id, job_id, kind, chunk_size, complete, created_at)
                values (?, ?, ?, ?, false, now() - make_interval(secs => ?))""", id, job, kind, ArtifactStore.CHUNK_SIZE, age.toSeconds());
        jdbc.update("insert into artifact_chunks (artifact_id, seq, bytes) values (?, 0, ?)", id, new byte[1000]);
        return id;
    }

    private boolean exists(UUID checkpointId) {
        return jdbc.queryForObject("select count(*) from artifacts where id = ?", Integer.class, checkpointId) > 0;
    }
}
