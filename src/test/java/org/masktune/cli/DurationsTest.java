package org.masktune.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DurationsTest {

    @Test
    void readsWhatPeopleType() {
        assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("45")).isEqualTo(Duration.ofSeconds(45));
        assertThat(Durations.parse("PT2H")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.parse("1d")).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void refusesTheRest() {
        assertThatThrownBy(() -> Durations.parse("2 hours")).isInstanceOf(CommandLine.TypeConversionException.class);
        assertThatThrownBy(() -> Durations.parse("h2")).isInstanceOf(CommandLine.TypeConversionException.class);
        assertThatThrownBy(() -> Durations.parse("")).isInstanceOf(CommandLine.TypeConversionException.class);
    }
}
