package org.masktune.runner;

import ai.djl.Device;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** What a task sees of the world: its config, device, work directory, inputs, and the event channel. */
public final class TaskContext {

    private final JobSpec spec;
    private volatile RunProvenance provenance;
    private final JsonMapper json;
    private final PrintStream events;
    private final AtomicBoolean cancelRequested;

    public TaskContext(JobSpec spec, JsonMapper json, PrintStream events, AtomicBoolean cancelRequested) {
        this.spec = spec;
        this.json = json;
        this.events = events;
        this.cancelRequested = cancelRequested;
    }

    public JobSpec spec() {
        return spec;
    }

    public JsonMapper json() {
        return json;
    }

    public <C> C config(Class<C> type) {
        return json.treeToValue(spec.config(), type);
    }

    /** The device lent to this job: the parent exposes exactly one GPU, or none. */
    public Device device() {
        return "gpu".equals(spec.device()) ? Device.gpu(0) : Device.cpu();
    }

    public Path workDir() {
        return Path.of(spec.workDir());
    }

    public Path input(String name) {
        String path = spec.inputs().get(name);
        if (path == null) {
            throw new IllegalStateException("the service staged no input named " + name + " (has " + spec.inputs().keySet() + ")");
        }
        return Path.of(path);
    }

    public Map<String, String> inputs() {
        return spec.inputs();
    }

    public boolean cancelRequested() {
        return cancelRequested.get();
    }

    /** Throws {@link JobCancelledException} if cancellation was requested; call at every step boundary. */
    public void checkCancelled(String where) {
        if (cancelRequested()) {
            throw new JobCancelledException("cancelled " + where);
        }
    }

    public void progress(double fraction, String message) {
        ObjectNode body = json.createObjectNode();
        body.put("fraction", fraction);
        body.put("message", message);
        emit(ChildEvent.PROGRESS, body);
    }

    /** A sentence for the job's events (recorded with the current status and this reason). */
    public void note(String message) {
        ObjectNode body = json.createObjectNode();
        body.put("message", message);
        emit(ChildEvent.NOTE, body);
    }

    /** The job's summary result (stored on the job row). */
    public void result(Object result) {
        emit(ChildEvent.RESULT, json.valueToTree(result));
    }

    /** The run's provenance, set once by the task; every artifact written after carries it. */
    public void provenance(RunProvenance provenance) {
        this.provenance = provenance;
    }

    /** The run's provenance, or null before the task set it. */
    public RunProvenance provenance() {
        return provenance;
    }

    /**
     * Hands a finished file in the work directory to the service, which stores it as an artifact of {@code kind}.
     * The metadata gets the run's {@link RunProvenance} unless it states a {@code provenance} of its own.
     */
    public void artifact(String kind, int epoch, String architecture, Path file, Map<String, ?> metadata) {
        Map<String, Object> fields = metadata == null ? new LinkedHashMap<>() : new LinkedHashMap<>(metadata);
        if (provenance != null) {
            fields.putIfAbsent("provenance", provenance);
        }
        String stored = metadata == null && fields.isEmpty() ? null : json.writeValueAsString(fields);
        emit(ChildEvent.ARTIFACT, new ArtifactWritten(kind, epoch, architecture, file.toString(), stored));
    }

    public void emit(String event, Object body) {
        ObjectNode line = json.createObjectNode();
        line.put("event", event);
        line.set("body", body instanceof JsonNode node ? node : json.valueToTree(body));
        synchronized (events) {
            events.println(ChildEvent.LINE_PREFIX + json.writeValueAsString(line));
            events.flush();
        }
    }
}
