package org.masktune.evaluation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.masktune.evaluation.EvaluateEvents.ModelMetrics;
import org.masktune.evaluation.EvaluateEvents.Point;
import org.masktune.evaluation.EvaluateEvents.Selective;
import org.masktune.evaluation.EvaluateEvents.SplitResult;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/** The evaluations tables (V5), written with plain JDBC: one split's rows per transaction. */
@Repository
class EvaluationRepository {

    /** The evaluations row: resolved models and dataset as JSON text. */
    record EvaluationRow(UUID id, String models, String dataset, Instant createdAt) {
    }

    record ResultRow(String model, String split, int splitIndex, String metrics) {
    }

    record SummaryRow(String method, String model, String split, int splitIndex, int samples, double aurc, int curvePoints) {
    }

    record PointRow(String method, String model, String split, String kind, int seq, Point point) {
    }

    private static final String MODEL_ORDER = "case model when 'erm' then 0 when 'masktune' then 1 else 2 end";
    private static final String METHOD_ORDER = "case method when 'max-softmax' then 0 when 'product-softmax' then 1 else 2 end";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final JsonMapper json;

    EvaluationRepository(JdbcTemplate jdbc, TransactionTemplate tx, JsonMapper json) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.json = json;
    }

    /** Creates the evaluation of a starting job; a re-run first drops what an earlier attempt stored. */
    void start(UUID id, String modelsJson, String datasetJson, Instant now) {
        tx.executeWithoutResult(status -> {
            jdbc.update("delete from evaluations where id = ?", id);
            jdbc.update("insert into evaluations (id, models, dataset, created_at) values (?, ?::jsonb, ?::jsonb, ?)",
                    id, modelsJson, datasetJson, Timestamp.from(now));
        });
    }

    void saveSplit(UUID id, SplitResult result) {
        tx.executeWithoutResult(status -> {
            for (ModelMetrics m : result.metrics()) {
                jdbc.update("insert into evaluation_results (evaluation_id, model, split, split_index, metrics) values (?, ?, ?, ?, ?::jsonb)",
                        id, m.model(), result.split(), result.index(), json.writeValueAsString(m.metrics()));
            }
            for (Selective s : result.selective()) {
                jdbc.update("""
                        insert into selective_summaries (evaluation_id, method, model, split, split_index, samples, aurc, curve_points)
                        values (?, ?, ?, ?, ?, ?, ?, ?)""",
                        id, s.method(), s.model(), result.split(), result.index(), s.samples(), s.aurc(), s.curvePoints());
                List<PointRow> rows = new ArrayList<>();
                for (int i = 0; i < s.calibrated().size(); i++) {
                    rows.add(new PointRow(s.method(), s.model(), result.split(), "calibrated", i, s.calibrated().get(i)));
                }
                for (int i = 0; i < s.curve().size(); i++) {
                    rows.add(new PointRow(s.method(), s.model(), result.split(), "curve", i, s.curve().get(i)));
                }
                if (s.operating() != null) {
                    rows.add(new PointRow(s.method(), s.model(), result.split(), "operating", 0, s.operating()));
                }
                insertPoints(id, rows);
            }
        });
    }

    private void insertPoints(UUID id, List<PointRow> rows) {
        jdbc.batchUpdate("""
                insert into selective_curves (evaluation_id, method, model, split, kind, seq, target_coverage, threshold, accepted,
                                              coverage, accuracy, risk)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", rows, 500, (ps, row) -> {
            Point p = row.point();
            ps.setObject(1, id);
            ps.setString(2, row.method());
            ps.setString(3, row.model());
            ps.setString(4, row.split());
            ps.setString(5, row.kind());
            ps.setInt(6, row.seq());
            setDouble(ps, 7, p.targetCoverage());
            ps.setDouble(8, p.threshold());
            ps.setInt(9, p.accepted());
            ps.setDouble(10, p.coverage());
            setDouble(ps, 11, p.accuracy());
            setDouble(ps, 12, p.risk());
        });
    }

    private static void setDouble(java.sql.PreparedStatement ps, int index, Double value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.DOUBLE);
        } else {
            ps.setDouble(index, value);
        }
    }

    Optional<EvaluationRow> find(UUID id) {
        return jdbc.query("select id, models::text, dataset::text, created_at from evaluations where id = ?",
                (rs, i) -> new EvaluationRow(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant()),
                id).stream().findFirst();
    }

    List<ResultRow> results(UUID id) {
        return jdbc.query("select model, split, split_index, metrics::text from evaluation_results where evaluation_id = ? order by split_index, "
                + MODEL_ORDER, (rs, i) -> new ResultRow(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4)), id);
    }

    List<SummaryRow> summaries(UUID id) {
        return jdbc.query("select method, model, split, split_index, samples, aurc, curve_points from selective_summaries"
                + " where evaluation_id = ? order by split_index, " + METHOD_ORDER + ", " + MODEL_ORDER,
                (rs, i) -> new SummaryRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getInt(5), rs.getDouble(6),
                        rs.getInt(7)), id);
    }

    /** Points of the given kinds, in curve order within each (method, model, split). */
    List<PointRow> points(UUID id, Collection<String> kinds) {
        return jdbc.query("""
                select c.method, c.model, c.split, c.kind, c.seq, c.target_coverage, c.threshold, c.accepted, c.coverage, c.accuracy, c.risk
                from selective_curves c
                join selective_summaries s using (evaluation_id, method, model, split)
                where c.evaluation_id = ? and c.kind = any (?)
                order by s.split_index, %s, %s, c.kind, c.seq""".formatted(METHOD_ORDER.replace("method", "c.method"),
                MODEL_ORDER.replace("model", "c.model")),
                (rs, i) -> new PointRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5), point(rs)),
                id, kinds.toArray(String[]::new));
    }

    private static Point point(ResultSet rs) throws SQLException {
        return new Point((Double) rs.getObject(6), rs.getDouble(7), rs.getInt(8), rs.getDouble(9), (Double) rs.getObject(10),
                (Double) rs.getObject(11));
    }
}
