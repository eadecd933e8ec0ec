package org.masktune.embeddedpg;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * Starts the embedded PostgreSQL and hands its address to Boot's own DataSource, Flyway and JPA
 * set-up through {@link JdbcConnectionDetails}. Backs off when {@code spring.datasource.url} is set
 * or something else (e.g. a Testcontainers {@code @ServiceConnection}) already provides the details.
 */
@AutoConfiguration(before = DataSourceAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "masktune.embedded-postgres.enabled", matchIfMissing = true)
@Conditional(NoDatasourceUrlCondition.class)
@EnableConfigurationProperties(EmbeddedPostgresProperties.class)
public class EmbeddedPostgresAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean({JdbcConnectionDetails.class, EmbeddedPostgresServer.class})
    EmbeddedPostgresServer embeddedPostgresServer(EmbeddedPostgresProperties properties) {
        try {
            return EmbeddedPostgresServer.start(properties.dataDir(), properties.port());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + properties.dataDir()
                    + "; set spring.datasource.url to use an external server", e);
        }
    }

    @Bean
    @ConditionalOnMissingBean(JdbcConnectionDetails.class)
    JdbcConnectionDetails embeddedPostgresConnectionDetails(EmbeddedPostgresServer server) {
        return new JdbcConnectionDetails() {
            @Override
            public String getUsername() {
                return EmbeddedPostgresServer.USER;
            }

            @Override
            public String getPassword() {
                return server.password();
            }

            @Override
            public String getJdbcUrl() {
                return server.jdbcUrlWithoutCredentials();
            }
        };
    }
}
