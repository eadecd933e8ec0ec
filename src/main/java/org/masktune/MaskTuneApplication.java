package org.masktune;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

// no user/password store: the API authenticates bearer tokens only (org.masktune.security)
@SpringBootApplication(exclude = org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan
@EnableScheduling
public class MaskTuneApplication {

    public static void main(String[] args) {
        SpringApplication.run(MaskTuneApplication.class, args);
    }
}
