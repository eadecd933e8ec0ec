package org.masktune.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.ConfigurableWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.header.HeaderWriterFilter;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bearer tokens and roles on the API. Static pages (the dashboard), Swagger UI, the OpenAPI document
 * and health are public; API data needs {@code read}, submitting {@code submit}, registering
 * datasets, deleting and metrics {@code admin}. No cookies or sessions are used, so there is nothing
 * for a cross-site request to ride on (no CSRF), and CORS admits only {@code allowed-origins}.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    static final String[] PUBLIC = {"/", "/index.html", "/*.html", "/css/**", "/js/**", "/webjars/**", "/favicon.ico",
            "/swagger-ui.html", "/swagger-ui/**", "/v3/api-docs", "/v3/api-docs/**", "/actuator/health", "/actuator/health/**",
            "/error"};

    @Bean
    TokenStore tokenStore(SecurityProperties properties) {
        return new TokenStore(properties);
    }

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, SecurityProperties properties, TokenStore tokens) throws Exception {
        http.csrf(c -> c.disable())
                .cors(c -> c.disable())
                .httpBasic(b -> b.disable())
                .formLogin(f -> f.disable())
                .logout(l -> l.disable())
                .requestCache(r -> r.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterBefore(crossSiteFilter(properties), HeaderWriterFilter.class)
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((request, response, ex) -> problem(response, 401, "Unauthorized",
                                "send a token as 'Authorization: Bearer <token>'"))
                        .accessDeniedHandler((request, response, ex) -> problem(response, 403, "Forbidden",
                                "this token's role may not " + request.getMethod() + " " + request.getRequestURI())));
        if (!properties.enabled()) {
            log.warn("Authentication is OFF (masktune.security.enabled=false): anyone who reaches the port may use the API");
            http.authorizeHttpRequests(a -> a.anyRequest().permitAll());
            return http.build();
        }
        http.addFilterBefore(new BearerTokenFilter(tokens), AuthorizationFilter.class)
                .authorizeHttpRequests(a -> a
                        .dispatcherTypeMatchers(jakarta.servlet.DispatcherType.ASYNC, jakarta.servlet.DispatcherType.ERROR).permitAll()
                        .requestMatchers(PUBLIC).permitAll()
                        .requestMatchers("/actuator/**").hasRole("ADMIN")
                        .requestMatchers(HttpMethod.DELETE, "/**").hasRole("ADMIN")
                        .requestMatchers(HttpMethod.POST, "/api/v1/datasets", "/api/v1/datasets/**").hasRole("ADMIN")
                        .requestMatchers(HttpMethod.GET, "/api/**").hasRole("READ")
                        .requestMatchers(HttpMethod.HEAD, "/api/**").hasRole("READ")
                        .requestMatchers(HttpMethod.POST, "/api/**").hasRole("SUBMIT")
                        .requestMatchers(HttpMethod.PUT, "/api/**").hasRole("SUBMIT")
                        .requestMatchers(HttpMethod.PATCH, "/api/**").hasRole("SUBMIT")
                        .anyRequest().hasRole("READ"));
        return http.build();
    }

    /**
     * Refuses requests from other sites' pages: a request whose {@code Origin} is neither this
     * service's own nor in {@code allowed-origins} is a 403 before anything runs, whether or not it
     * carries a body (a "simple" cross-site POST is refused too). Allowed origins get CORS headers.
     */
    static OncePerRequestFilter crossSiteFilter(SecurityProperties properties) {
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOrigins(new ArrayList<>(properties.allowedOrigins()));
        cors.setAllowedMethods(List.of("GET", "HEAD", "POST", "DELETE"));
        cors.setAllowedHeaders(List.of("Authorization", "Content-Type", "Idempotency-Key", "If-None-Match", "Range", "Last-Event-ID"));
        cors.setExposedHeaders(List.of("ETag", "Location", "Repr-Digest", "Content-Range"));
        cors.setAllowCredentials(false);
        source.registerCorsConfiguration("/**", cors);
        CorsFilter filter = new CorsFilter(source);
        filter.setCorsProcessor(new org.springframework.web.cors.DefaultCorsProcessor() {
            @Override
            protected void rejectRequest(org.springframework.http.server.ServerHttpResponse response) throws IOException {
                response.setStatusCode(org.springframework.http.HttpStatus.FORBIDDEN);
                response.getHeaders().setContentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON);
                response.getBody().write(("{\"type\":\"about:blank\",\"title\":\"Cross-site request refused\",\"status\":403,"
                        + "\"detail\":\"requests from other sites' pages are refused; allowed origins: masktune.security.allowed-origins\"}")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                response.flush();
            }
        });
        return filter;
    }

    /** In open mode the service listens on loopback only, unless {@code server.address} is set. */
    @Bean
    WebServerFactoryCustomizer<ConfigurableWebServerFactory> loopbackWhenOpen(SecurityProperties properties, Environment env) {
        return factory -> {
            if (!properties.enabled() && !env.containsProperty("server.address")) {
                factory.setAddress(InetAddress.getLoopbackAddress());
                log.warn("Authentication is OFF: listening on loopback only ({}); set server.address to listen elsewhere",
                        InetAddress.getLoopbackAddress().getHostAddress());
            }
        };
    }

    static void problem(HttpServletResponse response, int status, String title, String detail) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.setStatus(status);
        if (status == 401) {
            response.setHeader("WWW-Authenticate", "Bearer");
        }
        response.setContentType("application/problem+json");
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
                + ",\"detail\":\"" + detail.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
    }

    /** Reads {@code Authorization: Bearer <token>}; an unknown token is a 401 at once. */
    static final class BearerTokenFilter extends OncePerRequestFilter {
        private final TokenStore tokens;

        BearerTokenFilter(TokenStore tokens) {
            this.tokens = tokens;
        }

        // long-polls and SSE come back as ASYNC dispatches, errors as ERROR dispatches: authenticate those too
        @Override
        protected boolean shouldNotFilterAsyncDispatch() {
            return false;
        }

        @Override
        protected boolean shouldNotFilterErrorDispatch() {
            return false;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            String header = request.getHeader("Authorization");
            if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                chain.doFilter(request, response);
                return;
            }
            Optional<TokenStore.Identity> identity = tokens.identify(header.substring(7).strip());
            if (identity.isEmpty()) {
                problem(response, 401, "Unauthorized", "the bearer token is not known");
                return;
            }
            List<SimpleGrantedAuthority> authorities = new ArrayList<>();
            for (Role role : Role.values()) {
                if (role.ordinal() <= identity.get().role().ordinal()) {
                    authorities.add(new SimpleGrantedAuthority(role.authority()));
                }
            }
            var auth = UsernamePasswordAuthenticationToken.authenticated(identity.get().name(), null, authorities);
            var context = SecurityContextHolder.createEmptyContext();
            context.setAuthentication(auth);
            SecurityContextHolder.setContext(context);
            try {
                chain.doFilter(request, response);
            } finally {
                SecurityContextHolder.clearContext();
            }
        }
    }
}
