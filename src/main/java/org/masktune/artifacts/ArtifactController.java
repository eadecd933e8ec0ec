package org.masktune.artifacts;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.masktune.jobs.JobNotFoundException;
import org.masktune.jobs.JobLookup;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.ServletWebRequest;
import tools.jackson.databind.json.JsonMapper;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "Artifacts", description = "What jobs keep: model checkpoints, masked sets, mask previews, predictions; metadata, and the"
        + " bytes with Range and digest support.")
class ArtifactController {

    private final ArtifactStore store;
    private final CheckpointExports exports;
    private final JobLookup jobs;
    private final JsonMapper json;

    ArtifactController(ArtifactStore store, CheckpointExports exports, JobLookup jobs, JsonMapper json) {
        this.store = store;
        this.exports = exports;
        this.jobs = jobs;
        this.json = json;
    }

    @GetMapping("/jobs/{id}/checkpoints")
    @Operation(summary = "A job's model checkpoints (only completely written ones), oldest first")
    List<ArtifactView> forJob(@PathVariable UUID id) {
        return artifactsOf(id).stream().filter(view -> ArtifactKind.isModel(view.kind())).toList();
    }

    @GetMapping("/jobs/{id}/artifacts")
    @Operation(summary = "Everything a job kept (only completely written files), oldest first: models, masked sets, previews, predictions")
    List<ArtifactView> artifactsOf(@PathVariable UUID id) {
        if (!jobs.exists(id)) {
            throw new JobNotFoundException(id);
        }
        return store.forJob(id).stream().map(c -> ArtifactView.of(c, json)).toList();
    }

    @GetMapping({"/checkpoints/{id}", "/artifacts/{id}"})
    @Operation(summary = "One artifact's metadata: kind, media type, epoch, architecture, size, SHA-256, model config and provenance")
    ArtifactView get(@PathVariable UUID id) {
        return ArtifactView.of(store.find(id).orElseThrow(() -> new ArtifactNotFoundException(id)), json);
    }

    /**
     * Written straight to the servlet response: ranges are served from the chunks they overlap, and
     * a synchronous write has no async-request timeout to cut off a slow multi-GB download.
     */
    @GetMapping({"/checkpoints/{id}/content", "/artifacts/{id}/content"})
    @Operation(summary = "The artifact's file, streamed with its media type; supports HEAD, a single byte Range and If-None-Match",
            description = "format=native (default): the service's own file. format=safetensors: the model's weights with PyTorch"
                    + " state_dict names (torchvision's for resnet18/resnet50, interop/pytorch/masktune_models.py for the others)"
                    + " and __metadata__ with architecture, class names, input size, normalisation and provenance; made"
                    + " deterministically, so its ETag is stable. ETag is the quoted hex SHA-256 of the bytes served; Repr-Digest"
                    + " (RFC 9530) and Digest carry it base64-encoded and always"
                    + " describe the whole file, also in a 206. Ranges: bytes=a-b, bytes=a-, bytes=-n; several ranges get the"
                    + " whole file (200). A range starting past the end is a 416 with Content-Range: bytes */size.",
            parameters = @Parameter(in = ParameterIn.HEADER, name = HttpHeaders.IF_NONE_MATCH,
                    description = "ETag of a copy the client has; 304 when it is still current"),
            responses = {
                    @ApiResponse(responseCode = "200", description = "The whole file", content = @Content(
                            mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE, schema = @Schema(type = "string", format = "binary")),
                            headers = {@Header(name = "ETag", description = "\"<sha256 hex>\""),
                                    @Header(name = "Repr-Digest", description = "sha-256=:<base64>:"),
                                    @Header(name = "Digest", description = "SHA-256=<base64>")}),
                    @ApiResponse(responseCode = "206", description = "The requested range, with Content-Range", content = @Content(
                            mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE, schema = @Schema(type = "string", format = "binary"))),
                    @ApiResponse(responseCode = "304", description = "If-None-Match matched"),
                    @ApiResponse(responseCode = "400", description = "Unknown format"),
                    @ApiResponse(responseCode = "404", description = "No such (complete) checkpoint"),
                    @ApiResponse(responseCode = "409", description = "format=safetensors of bytes that are not a model checkpoint"),
                    @ApiResponse(responseCode = "416", description = "The range starts past the end")})
    void content(@PathVariable UUID id,
            @Parameter(description = "native (the service's format) or safetensors (PyTorch names)", schema = @Schema(
                    allowableValues = {"native", "safetensors"}, defaultValue = "native"))
            @RequestParam(name = "format", defaultValue = "native") String format,
            @Parameter(description = "bytes=a-b, bytes=a- or bytes=-n") @RequestHeader(name = HttpHeaders.RANGE, required = false) String range,
            @Parameter(description = "Serve the range only if the ETag still matches, else the whole file")
            @RequestHeader(name = HttpHeaders.IF_RANGE, required = false) String ifRange,
            ServletWebRequest request, HttpServletResponse response) throws IOException {
        boolean safetensors = switch (format) {
            case "native" -> false;
            case "safetensors" -> true;
            default -> throw new org.masktune.jobs.InvalidJobConfigException("format",
                    "unknown format '" + format + "'; known: native, safetensors");
        };
        Artifact checkpoint = store.find(id).orElseThrow(() -> new ArtifactNotFoundException(id));
        if (store.isMarkedCorrupt(id)) {
            throw new ArtifactCorruptException(id, checkpoint.getSha256(), "(differs; found on an earlier read)",
                    checkpoint.getSizeBytes(), checkpoint.getSizeBytes());
        }
        CheckpointExports.Export export = safetensors ? exports.safetensors(checkpoint) : null;
        String sha256 = safetensors ? export.sha256() : checkpoint.getSha256();
        String etag = "\"" + sha256 + "\"";
        if (request.checkNotModified(etag)) {
            return;
        }
        long size = safetensors ? export.size() : checkpoint.getSizeBytes();
        ByteRange part = ifRange == null || ifRange.trim().equals(etag) ? ByteRange.resolve(range, size) : ByteRange.WHOLE;
        if (part == ByteRange.UNSATISFIABLE) {
            throw new RangeNotSatisfiableException(id, range, size);
        }

        String digest = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256));
        response.setContentType(safetensors ? MediaType.APPLICATION_OCTET_STREAM_VALUE : ArtifactKind.mediaTypeOf(checkpoint.getKind()));
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                .filename(safetensors ? checkpoint.getJobId() + "-" + checkpoint.getKind() + ".safetensors"
                        : ArtifactKind.fileName(checkpoint.getJobId(), checkpoint.getKind())).build().toString());
        response.setHeader(HttpHeaders.ETAG, etag);
        response.setHeader("Repr-Digest", "sha-256=:" + digest + ":");
        response.setHeader("Digest", "SHA-256=" + digest);
        response.setHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
        long offset = 0;
        long length = size;
        if (part != ByteRange.WHOLE) {
            offset = part.first();
            length = part.length();
            response.setStatus(HttpServletResponse.SC_PARTIAL_CONTENT);
            response.setHeader(HttpHeaders.CONTENT_RANGE, "bytes " + part.first() + "-" + part.last() + "/" + size);
        }
        response.setContentLengthLong(length);
        if ("HEAD".equals(request.getRequest().getMethod())) {
            return;
        }
        if (safetensors) {
            // the export was written from the native bytes, whose digest was checked while it was written
            try (InputStream in = openRange(export, offset, length)) {
                OutputStream out = response.getOutputStream();
                in.transferTo(out);
                out.flush();
            }
            return;
        }
        try (InputStream in = store.openRange(checkpoint, offset, length)) {
            copyVerified(in, response, checkpoint, part == ByteRange.WHOLE);
        }
    }

    private static InputStream openRange(CheckpointExports.Export export, long offset, long length) throws IOException {
        InputStream in = java.nio.file.Files.newInputStream(export.file());
        in.skipNBytes(offset);
        return new java.io.FilterInputStream(in) {
            private long left = length;

            @Override
            public int read() throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int b = super.read();
                left -= b < 0 ? 0 : 1;
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int n = super.read(b, off, (int) Math.min(len, left));
                left -= Math.max(n, 0);
                return n;
            }
        };
    }

    /**
     * Streams the bytes, never completing a response of wrong bytes: each chunk is checked against
     * its own SHA-256 as it is read, and a whole-file answer also against the file's digest, with
     * its last block held back until the digest matched. On a mismatch the checkpoint is marked
     * corrupt and the answer is a 500 problem when nothing was sent yet, otherwise the transfer is
     * aborted short of its Content-Length, so no client can take it for the file.
     */
    private void copyVerified(InputStream in, HttpServletResponse response, Artifact checkpoint, boolean whole) throws IOException {
        java.security.MessageDigest sha256 = ArtifactStore.sha256();
        byte[] held = new byte[64 * 1024];
        byte[] next = new byte[64 * 1024];
        int heldLength = 0;
        OutputStream out = null;
        try {
            int n;
            while ((n = in.readNBytes(next, 0, next.length)) > 0) {
                sha256.update(next, 0, n);
                if (heldLength > 0) {
                    if (out == null) {
                        out = response.getOutputStream();
                    }
                    out.write(held, 0, heldLength);
                }
                byte[] swap = held;
                held = next;
                next = swap;
                heldLength = n;
            }
            if (whole) {
                String actual = java.util.HexFormat.of().formatHex(sha256.digest());
                if (!actual.equals(checkpoint.getSha256())) {
                    store.markCorrupt(checkpoint.getId());
                    throw new ArtifactCorruptException(checkpoint.getId(), checkpoint.getSha256(), actual,
                            checkpoint.getSizeBytes(), checkpoint.getSizeBytes());
                }
            }
        } catch (ArtifactStore.ChunkCorruptException e) {
            throw corrupt(response, checkpoint, e.getMessage());
        } catch (ArtifactCorruptException e) {
            if (!response.isCommitted()) {
                response.reset();
                throw e;
            }
            throw new IOException("aborted: " + e.getMessage(), e);
        }
        if (out == null) {
            out = response.getOutputStream();
        }
        out.write(held, 0, heldLength);
        out.flush();
    }

    private static RuntimeException corrupt(HttpServletResponse response, Artifact checkpoint, String why) throws IOException {
        if (!response.isCommitted()) {
            response.reset();
            return new ArtifactCorruptException(checkpoint.getId(), checkpoint.getSha256(), "(" + why + ")",
                    checkpoint.getSizeBytes(), checkpoint.getSizeBytes());
        }
        throw new IOException("aborted: " + why);
    }
}
