package org.masktune.security;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Who may call the API.
 *
 * @param enabled        {@code false} is the explicitly open mode: no tokens asked, and the service
 *                       binds to loopback unless {@code server.address} says otherwise
 * @param tokens         bearer tokens, each stored only as its SHA-256 ({@code sha256} in hex) with a
 *                       name (recorded as the submitter of its jobs) and roles ({@code read},
 *                       {@code submit}, {@code admin}; each includes the ones before it)
 * @param adminTokenFile where the admin token generated on first start (when no tokens are
 *                       configured) is kept, readable by the owner only
 * @param allowedOrigins origins allowed to call the API from a browser on another site (CORS); none
 *                       by default
 */
@Validated
@ConfigurationProperties("masktune.security")
public record SecurityProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue List<@Valid Token> tokens,
        @DefaultValue("./data/admin-token") Path adminTokenFile,
        @DefaultValue List<String> allowedOrigins) {

    public record Token(
            @NotBlank String name,
            @NotBlank @Pattern(regexp = "[0-9a-fA-F]{64}", message = "must be the SHA-256 of the token, 64 hex digits") String sha256,
            @NotEmpty Set<Role> roles) {
    }
}
