package org.masktune.jobs;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface JobRepository extends JpaRepository<Job, UUID> {

    Optional<Job> findByIdempotencyKey(String idempotencyKey);

    @Query("select j.version from Job j where j.id = :id")
    Optional<Long> findVersion(@Param("id") UUID id);

    List<Job> findByPipelineIdOrderByCreatedAt(UUID pipelineId);

    @Query("select e from JobEvent e where e.job.id = :jobId and e.id > :after order by e.id")
    List<JobEvent> findEventsAfter(@Param("jobId") UUID jobId, @Param("after") long after);
}
