package org.masktune.embeddedpg;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The embedded PostgreSQL 17 started when no {@code spring.datasource.url} is set.
 *
 * @param enabled  set to false to require an external database
 * @param dataDir  where the cluster lives; kept across restarts
 * @param port     fixed port, or 0 for any free port
 */
@ConfigurationProperties("masktune.embedded-postgres")
public record EmbeddedPostgresProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("./data/pg") Path dataDir,
        @DefaultValue("0") int port) {
}
