package org.masktune.pipelines;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface PipelineRepository extends JpaRepository<Pipeline, UUID> {

    Optional<Pipeline> findByIdempotencyKey(String idempotencyKey);

    /** Pipelines that may still need a next stage: not cancelled and without a finished last stage. */
    @Query(value = """
            select p.* from pipelines p
            where not p.cancel_requested
              and not exists (select 1 from jobs j where j.pipeline_id = p.id and j.type = 'evaluate' and j.status in ('SUCCEEDED', 'FAILED', 'CANCELLED'))
              and not exists (select 1 from jobs j where j.pipeline_id = p.id and j.status in ('FAILED', 'CANCELLED'))""",
            nativeQuery = true)
    List<Pipeline> findUnfinished();
}
