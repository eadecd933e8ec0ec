package org.masktune;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class MaskTuneApplication {

    public static void main(String[] args) {
        SpringApplication.run(MaskTuneApplication.class, args);
    }
}
