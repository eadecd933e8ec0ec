package org.masktune.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Durations as people type them: 90s, 5m, 2h, 1h30m, 500ms, 1d, or ISO-8601 (PT2H). */
final class Durations implements CommandLine.ITypeConverter<Duration> {

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    static Duration parse(String value) {
        String text = value.trim().toLowerCase();
        if (text.startsWith("pt") || text.startsWith("p")) {
            return Duration.parse(value.trim().toUpperCase());
        }
        if (text.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(text));
        }
        Matcher m = PART.matcher(text);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                break;
            }
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
            end = m.end();
        }
        if (end != text.length() || text.isEmpty()) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a duration (e.g. 90s, 5m, 2h, 1h30m)");
        }
        return total;
    }

    static String format(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
        }
        return s >= 3600 ? String.format("%dh%02dm%02ds", s / 3600, s % 3600 / 60, s % 60) : String.format("%dm%02ds", s / 60, s % 60);
    }
}
