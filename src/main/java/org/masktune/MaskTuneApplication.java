package org.masktune;

import org.masktune.cli.MaskTuneCli;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

// no user/password store: the API authenticates bearer tokens only (org.masktune.security)
@SpringBootApplication(exclude = org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan
@EnableScheduling
public class MaskTuneApplication {

    /** {@code java -jar masktune.jar <command> ...} runs the CLI (no Spring context); anything else starts the service. */
    public static void main(String[] args) {
        if (args.length > 0 && MaskTuneCli.COMMANDS.contains(args[0])) {
            System.exit(MaskTuneCli.run(args, System.out, System.err, System.in));
        }
        SpringApplication.run(MaskTuneApplication.class, args);
    }
}
