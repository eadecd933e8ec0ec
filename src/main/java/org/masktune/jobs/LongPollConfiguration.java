package org.masktune.jobs;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.AsyncSupportConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Sets the async request timeout from the long-poll maximum. Without it the servlet container's default
 * (30 s on Tomcat) applies: every long-poll over 30 s, and some of exactly 30 s (the container's timer and
 * the poll's own raced), ended as 503.
 */
@Configuration(proxyBeanMethods = false)
class LongPollConfiguration implements WebMvcConfigurer {

    private final LongPollProperties properties;

    LongPollConfiguration(LongPollProperties properties) {
        this.properties = properties;
    }

    @Override
    public void configureAsyncSupport(AsyncSupportConfigurer configurer) {
        configurer.setDefaultTimeout(properties.asyncTimeout().toMillis());
    }
}
