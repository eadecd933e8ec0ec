package org.masktune.logs;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Job logs in PostgreSQL, appended in chunks of whole lines (table {@code job_logs}). Offsets are
 * byte offsets into a job's log, so a reader can resume exactly where it stopped, on any instance.
 */
@Component
public class JobLogStore {

    /** Output buffered by a writer before it is written as one chunk. */
    static final int CHUNK_BYTES = 64 * 1024;

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final long maxBytesPerJob;

    public JobLogStore(JdbcTemplate jdbc, Clock clock, LogsProperties properties) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.maxBytesPerJob = properties.maxBytesPerJob().toBytes();
    }

    /** Bytes read from {@code offset} on, and the offset to ask for next. */
    public record Slice(byte[] bytes, long nextOffset) {
        public boolean isEmpty() {
            return bytes.length == 0;
        }
    }

    /** The job's log size in bytes (0 when it has printed nothing). */
    public long size(UUID jobId) {
        Long size = jdbc.queryForObject(
                "select coalesce(max(start_offset + length(bytes)), 0) from job_logs where job_id = ?", Long.class, jobId);
        return size == null ? 0 : size;
    }

    /** Up to about {@code maxBytes} of the log from {@code offset}; whole chunks, the first one cut at the offset. */
    public Slice read(UUID jobId, long offset, int maxBytes) {
        List<byte[]> chunks = jdbc.query("""
                select start_offset, bytes from job_logs
                where job_id = ? and start_offset + length(bytes) > ?
                order by seq limit 64""",
                (rs, i) -> {
                    long start = rs.getLong(1);
                    byte[] bytes = rs.getBytes(2);
                    int skip = (int) Math.max(0, offset - start);
                    return skip == 0 ? bytes : java.util.Arrays.copyOfRange(bytes, skip, bytes.length);
                }, jobId, offset);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] chunk : chunks) {
            if (out.size() > 0 && out.size() + chunk.length > maxBytes) {
                break;
            }
            out.writeBytes(chunk);
        }
        return new Slice(out.toByteArray(), offset + out.size());
    }

    /** A writer appending to the job's log after what earlier attempts left there. */
    public Writer open(UUID jobId) {
        List<long[]> end = jdbc.query(
                "select coalesce(max(seq) + 1, 0), coalesce(max(start_offset + length(bytes)), 0) from job_logs where job_id = ?",
                (rs, i) -> new long[] {rs.getLong(1), rs.getLong(2)}, jobId);
        return new Writer(jobId, (int) end.get(0)[0], end.get(0)[1]);
    }

    private void insert(UUID jobId, int seq, long offset, byte[] bytes) {
        jdbc.update("insert into job_logs (job_id, seq, start_offset, bytes, written_at) values (?, ?, ?, ?, ?)",
                jobId, seq, offset, bytes, Timestamp.from(clock.instant()));
    }

    /**
     * Buffers lines in memory and writes them as chunks when {@link #flush()} is called (by the runner's flush
     * timer and at the end). {@link #line} never touches the database, so the threads draining the child's
     * stdout and stderr never wait for it and the child never blocks on a full pipe; the buffer is bounded by
     * the cap. Once the log holds {@code maxBytesPerJob}, one line saying so is kept and later output is only
     * counted.
     */
    public final class Writer implements AutoCloseable {
        private final UUID jobId;
        private final Object flushing = new Object();
        private ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private int seq;
        private long written;
        private long buffered;
        private boolean capped;
        private long dropped;

        private Writer(UUID jobId, int seq, long offset) {
            this.jobId = jobId;
            this.seq = seq;
            this.written = offset;
            this.capped = offset >= maxBytesPerJob;
        }

        public synchronized void line(String line) {
            byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
            if (capped) {
                dropped += bytes.length;
                return;
            }
            if (written + buffered + bytes.length > maxBytesPerJob) {
                capped = true;
                dropped += bytes.length;
                append(("[masktune] log cap reached: a job keeps at most " + maxBytesPerJob
                        + " bytes of output (masktune.logs.max-bytes-per-job); later output is dropped\n")
                        .getBytes(StandardCharsets.UTF_8));
                return;
            }
            append(bytes);
        }

        private void append(byte[] bytes) {
            buffer.writeBytes(bytes);
            buffered += bytes.length;
        }

        /** Writes what is buffered, in chunks of about {@link #CHUNK_BYTES}; one flush at a time, in order. */
        public void flush() {
            synchronized (flushing) {
                byte[] bytes;
                synchronized (this) {
                    if (buffer.size() == 0) {
                        return;
                    }
                    bytes = buffer.toByteArray();
                    buffer = new ByteArrayOutputStream();
                }
                writeChunks(bytes);
            }
        }

        /** Inserts {@code bytes} as chunks; bytes a failed insert could not write are lost, and no longer buffered. */
        private void writeChunks(byte[] bytes) {
            int from = 0;
            try {
                while (from < bytes.length) {
                    int to = Math.min(bytes.length, from + CHUNK_BYTES);
                    while (to < bytes.length && bytes[to - 1] != '\n') { // whole lines per chunk where they fit
                        to++;
                    }
                    byte[] chunk = java.util.Arrays.copyOfRange(bytes, from, to);
                    insert(jobId, seq, written, chunk);
                    synchronized (this) {
                        seq++;
                        written += chunk.length;
                        buffered -= chunk.length;
                    }
                    from = to;
                }
            } finally {
                if (from < bytes.length) {
                    synchronized (this) {
                        buffered -= bytes.length - from;
                    }
                }
            }
        }

        /** Bytes kept so far (written or buffered). */
        public synchronized long size() {
            return written + buffered;
        }

        @Override
        public void close() {
            synchronized (this) {
                if (dropped > 0) {
                    append(("[masktune] " + dropped + " bytes of output were dropped after the cap\n")
                            .getBytes(StandardCharsets.UTF_8));
                    dropped = 0;
                }
            }
            flush();
        }
    }
}
