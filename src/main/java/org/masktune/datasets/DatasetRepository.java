package org.masktune.datasets;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

interface DatasetRepository extends JpaRepository<Dataset, String> {

    List<Dataset> findAllByOrderByNameAsc();
}
