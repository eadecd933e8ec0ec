package org.masktune.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.masktune.support.ApiClient;
import org.masktune.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Every endpoint in the OpenAPI document has a request in http-examples/; all misses are reported at once. */
@IntegrationTest
class HttpExamplesCoverageTests {

    @Autowired
    ApiClient api;

    @Test
    void everyEndpointHasAnExampleRequest() throws IOException {
        List<String> requestLines = exampleRequestLines();
        JsonNode paths = api.get("/v3/api-docs").json().path("paths");
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : paths.properties()) {
            for (String method : path.getValue().propertyNames()) {
                Pattern request = Pattern.compile("^" + method.toUpperCase() + " \\{\\{host}}"
                        + path.getKey().replaceAll("\\{[^}]+}", "\\\\E[^/?\\\\s]+\\\\Q").replace("\\Q", "\\Q").transform(p -> "\\Q" + p + "\\E")
                        + "(\\?.*)?$");
                if (requestLines.stream().noneMatch(line -> request.matcher(line).matches())) {
                    missing.add(method.toUpperCase() + " " + path.getKey());
                }
            }
        }
        assertThat(paths.size()).isGreaterThan(3);
        assertThat(missing).as("endpoints without an http-examples request").isEmpty();
    }

    private static List<String> exampleRequestLines() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("http-examples"))) {
            List<String> lines = new ArrayList<>();
            for (Path file : files.filter(f -> f.toString().endsWith(".http")).toList()) {
                Files.readAllLines(file).stream().map(String::trim).filter(l -> l.matches("^(GET|POST|PUT|PATCH|DELETE) .*"))
                        .forEach(lines::add);
            }
            return lines;
        }
    }
}
