package org.masktune.jobs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Pageable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The job list's queries, written per request with only the filters that are set. The former single
 * JPQL query ({@code :status is null or j.status = :status}) became a generic plan that could use no
 * filter's index, and paged by loading whole rows (config and result JSON) past the offset. Here the
 * page's ids come from an index-only scan of {@code jobs_created_idx} (or the status/type index), and
 * only those rows are loaded.
 */
@Repository
class JobSearch {

    private final JdbcClient jdbc;

    JobSearch(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Ids of one page, newest first. */
    List<UUID> ids(JobStatus status, String type, Pageable pageable) {
        List<Object> params = new ArrayList<>();
        String where = where(status, type, params);
        params.add(pageable.getOffset());
        params.add(pageable.getPageSize());
        return jdbc.sql("select id from jobs" + where + " order by created_at desc, id desc offset ? limit ?")
                .params(params).query(UUID.class).list();
    }

    /** The job's version (its ETag) by primary key, outside any transaction: one round trip. */
    Optional<Long> version(UUID id) {
        return jdbc.sql("select version from jobs where id = ?").param(id).query(Long.class).optional();
    }

    /** Versions of these jobs by primary key; a job that does not exist is absent. */
    Map<UUID, Long> versions(List<UUID> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        String marks = String.join(", ", Collections.nCopies(ids.size(), "?"));
        Map<UUID, Long> versions = new HashMap<>();
        jdbc.sql("select id, version from jobs where id in (" + marks + ")").params(List.copyOf(ids))
                .query((rs, row) -> versions.put(rs.getObject(1, UUID.class), rs.getLong(2))).list();
        return versions;
    }

    long count(JobStatus status, String type) {
        List<Object> params = new ArrayList<>();
        String where = where(status, type, params);
        return jdbc.sql("select count(*) from jobs" + where).params(params).query(Long.class).single();
    }

    private static String where(JobStatus status, String type, List<Object> params) {
        List<String> conditions = new ArrayList<>();
        if (status != null) {
            conditions.add("status = ?");
            params.add(status.name());
        }
        if (type != null) {
            conditions.add("type = ?");
            params.add(type);
        }
        return conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions);
    }
}
