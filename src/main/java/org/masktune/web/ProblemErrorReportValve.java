package org.masktune.web;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

/**
 * Errors Tomcat answers itself, before any servlet runs (a {@code %2f} or {@code %00} in the URL, an
 * oversized header or URL, TRACE), as problem+json instead of Tomcat's HTML page with its version.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        String title = switch (status) {
            case 400 -> "Bad request";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 413 -> "Request body too large";
            case 414 -> "URI too long";
            case 431 -> "Request header fields too large";
            default -> status >= 500 ? "Server error" : "Request refused";
        };
        String detail = switch (status) {
            case 400 -> "the request was refused before it reached the API: its URL or headers are malformed"
                    + " (encoded '/' or NUL characters, or headers and URL over 8 KB together)";
            case 405 -> "method " + request.getMethod() + " is not allowed here";
            default -> title.toLowerCase(java.util.Locale.ROOT);
        };
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("utf-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
                        + ",\"detail\":\"" + detail.replace("\"", "'") + "\"}");
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response already committed: nothing more to say
        }
    }

}
