package org.masktune.jobs;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface JobRepository extends JpaRepository<Job, UUID> {

    Optional<Job> findByIdempotencyKey(String idempotencyKey);

    @Query("""
            select j from Job j
            where (:status is null or j.status = :status) and (:type is null or j.type = :type)
            order by j.createdAt desc, j.id desc""")
    Page<Job> search(@Param("status") JobStatus status, @Param("type") String type, Pageable pageable);

    @Query("select j.version from Job j where j.id = :id")
    Optional<Long> findVersion(@Param("id") UUID id);

    @Query("select j.id, j.version from Job j where j.id in :ids")
    List<Object[]> findVersions(@Param("ids") List<UUID> ids);

    List<Job> findByPipelineIdOrderByCreatedAt(UUID pipelineId);

    @Query("select e from JobEvent e where e.job.id = :jobId and e.id > :after order by e.id")
    List<JobEvent> findEventsAfter(@Param("jobId") UUID jobId, @Param("after") long after);
}
