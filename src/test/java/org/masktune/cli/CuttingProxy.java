package org.masktune.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of the service: the first connection is cut after {@code cutAfter} response bytes (as a
 * flaky network would), later ones pass; with {@code corruptAt} >= 0 it flips that byte of every response
 * instead. Keeps the start of each request it forwarded.
 */
final class CuttingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final long cutAfter;
    private final long corruptAt;
    private final AtomicInteger connections = new AtomicInteger();
    final List<String> requests = new CopyOnWriteArrayList<>();

    CuttingProxy(int targetPort, long cutAfter, long corruptAt) throws IOException {
        this.server = new ServerSocket(0);
        this.targetPort = targetPort;
        this.cutAfter = cutAfter;
        this.corruptAt = corruptAt;
        Thread acceptor = new Thread(this::accept, "cutting-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String url() {
        return "http://localhost:" + server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                int index = connections.getAndIncrement();
                Socket target = new Socket("localhost", targetPort);
                Thread up = new Thread(() -> pump(client, target, true, index), "proxy-up");
                Thread down = new Thread(() -> pump(target, client, false, index), "proxy-down");
                up.setDaemon(true);
                down.setDaemon(true);
                up.start();
                down.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean request, int connection) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            byte[] buffer = new byte[8192];
            long total = 0;
            int n;
            StringBuilder head = new StringBuilder();
            while ((n = in.read(buffer)) != -1) {
                if (request && head.length() < 4096) {
                    head.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                    if (head.indexOf("\r\n\r\n") >= 0) {
                        requests.add(head.substring(0, head.indexOf("\r\n\r\n")));
                        head.setLength(4096); // recorded; one request per connection is all the tests need
                    }
                }
                if (!request && corruptAt >= total && corruptAt < total + n) {
                    buffer[(int) (corruptAt - total)] ^= 0x5a;
                }
                if (!request && connection == 0 && cutAfter >= 0 && total + n >= cutAfter) {
                    out.write(buffer, 0, (int) (cutAfter - total));
                    out.flush();
                    from.close();
                    to.close();
                    return;
                }
                out.write(buffer, 0, n);
                out.flush();
                total += n;
            }
        } catch (IOException e) {
            // one side closed: close the other
        } finally {
            try {
                from.close();
                to.close();
            } catch (IOException ignored) {
                // closed already
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
