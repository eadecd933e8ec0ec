package org.masktune.artifacts;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;
import org.springframework.data.repository.query.Param;

/** Reads complete checkpoints only; incomplete rows are a writer's business and never leave the store. */
interface ArtifactRepository extends Repository<Artifact, UUID> {

    @Query("select c from Artifact c where c.id = :id and c.complete = true")
    Optional<Artifact> findComplete(@Param("id") UUID id);

    @Query("select c from Artifact c where c.jobId = :jobId and c.complete = true order by c.createdAt, c.id")
    List<Artifact> findCompleteByJob(@Param("jobId") UUID jobId);

    @Query("select c from Artifact c where c.jobId = :jobId and c.kind = :kind and c.complete = true")
    Optional<Artifact> findCompleteByJobAndKind(@Param("jobId") UUID jobId, @Param("kind") String kind);
}
