package org.masktune.runner;

/**
 * Body of {@link ChildEvent#ARTIFACT}: a file the child finished writing in its work directory; the
 * service stores it (bytes, size, SHA-256) as an artifact of the job and deletes the file.
 *
 * @param kind         the stored kind ({@code org.masktune.artifacts.ArtifactKind#id()})
 * @param epoch        the epoch it belongs to, or 0
 * @param architecture the model's architecture for a model checkpoint, else null
 * @param metadata     JSON kept with it (model spec, provenance, shape of the file), or null
 */
public record ArtifactWritten(String kind, int epoch, String architecture, String file, String metadata) {
}
