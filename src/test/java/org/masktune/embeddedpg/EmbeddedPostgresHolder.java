package org.masktune.embeddedpg;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * Test helper run in its own JVM: starts the embedded server and waits to be killed. With a second argument
 * {@code write-on-shutdown} it behaves like the service on SIGTERM: a shutdown hook still writes to the database
 * (as the worker re-queues its jobs) and only then closes the server.
 */
public final class EmbeddedPostgresHolder {

    public static void main(String[] args) throws Exception {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(Path.of(args[0]), 0);
        if (args.length > 1 && args[1].equals("write-on-shutdown")) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    Thread.sleep(500);
                    try (Connection c = DriverManager.getConnection(server.jdbcUrl()); Statement st = c.createStatement()) {
                        st.execute("insert into kept values ('written by a shutdown hook')");
                    }
                    System.out.println("WROTE");
                } catch (Exception e) {
                    System.out.println("FAILED " + e);
                } finally {
                    try {
                        server.close();
                    } catch (Exception ignored) {
                        // the test reports what matters: whether the write went through
                    }
                }
            }));
        }
        System.out.println("READY " + server.jdbcUrl());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
