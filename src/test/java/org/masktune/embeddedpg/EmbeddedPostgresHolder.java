package org.masktune.embeddedpg;

import java.nio.file.Path;

/** Test helper run in its own JVM: starts the embedded server and waits to be killed. */
public final class EmbeddedPostgresHolder {

    public static void main(String[] args) throws Exception {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(Path.of(args[0]), 0);
        System.out.println("READY " + server.jdbcUrl());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
