package org.masktune.datasets;

import java.time.Instant;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

interface DatasetRepository extends JpaRepository<Dataset, String> {

    List<Dataset> findAllByOrderByNameAsc();

    List<Dataset> findByStatus(String status);

    /** Progress of a preparation; only while it is PREPARING (a finished row is never moved back). */
    @Transactional
    @Modifying
    @Query("update Dataset d set d.imagesDone = :done, d.imagesTotal = :total, d.updatedAt = :now"
            + " where d.name = :name and d.status = 'PREPARING'")
    int progress(String name, long done, long total, Instant now);
}
