package org.masktune.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits of the HTTP API.
 *
 * @param maxBodySize largest request body accepted; a larger one is a 413 before it is read
 */
@ConfigurationProperties("masktune.api")
public record ApiProperties(@DefaultValue("1MB") DataSize maxBodySize) {
}
