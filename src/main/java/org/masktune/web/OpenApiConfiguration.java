package org.masktune.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    @Bean
    OpenAPI maskTuneOpenApi() {
        // Swagger UI's "Authorize" button: paste a token once and every request sends it as a bearer token
        return new OpenAPI()
                .components(new io.swagger.v3.oas.models.Components().addSecuritySchemes("bearer",
                        new io.swagger.v3.oas.models.security.SecurityScheme()
                                .type(io.swagger.v3.oas.models.security.SecurityScheme.Type.HTTP).scheme("bearer")
                                .description("A token from masktune.security.tokens, or the generated admin token (see the README)")))
                .addSecurityItem(new io.swagger.v3.oas.models.security.SecurityRequirement().addList("bearer"))
                .info(new Info()
                .title("MaskTune training service")
                .version("v1")
                .description("Train image classifiers, remove their shortcuts with MaskTune, and measure the result. "
                        + "Jobs run asynchronously on a GPU worker pool (one job per device); poll them with long-polls or SSE.")
                .license(new License().name("Apache-2.0")));
    }
}
