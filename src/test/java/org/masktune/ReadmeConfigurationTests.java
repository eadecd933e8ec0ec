package org.masktune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.type.filter.AnnotationTypeFilter;

/**
 * The README's configuration table against the code: each {@code masktune.*} default is written once — in its
 * {@code @ConfigurationProperties} record ({@code @DefaultValue}) or, for the few plain settings, in its
 * {@code ${name:default}} placeholder — and the table must say the same, row for row, in both directions.
 * {@code application.yml} must not repeat (and so cannot silently override) a default.
 */
class ReadmeConfigurationTests {

    /** A README row: the property, its default cell's value (null when the cell names no literal value). */
    record Row(String property, String value, String cell) {
    }

    private static final Pattern BACKTICKED = Pattern.compile("`([^`]+)`");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(masktune\\.[a-z0-9.-]+):([^}]*)}");

    private static final Map<String, Row> rows = new LinkedHashMap<>();
    /** Record prefix → record class, e.g. masktune.worker → WorkerProperties. */
    private static final Map<String, Class<?>> records = new LinkedHashMap<>();
    /** Placeholder property → its default text, from the main sources. */
    private static final Map<String, String> placeholders = new LinkedHashMap<>();

    @BeforeAll
    static void read() throws IOException, ClassNotFoundException {
        List<String> readme = Files.readAllLines(Path.of("README.md"));
        int start = readme.indexOf("## Configuration");
        assertTrue(start >= 0, "README has a '## Configuration' section");
        for (int i = start + 1; i < readme.size() && !readme.get(i).startsWith("## "); i++) {
            String line = readme.get(i);
            if (!line.startsWith("| `masktune.")) {
                continue;
            }
            String[] cells = line.split("(?<!\\\\)\\|");
            List<String> names = backticked(cells[1]);
            String defaults = cells[2].strip();
            String first = names.get(0);
            if (first.contains("[i]")) { // masktune.security.tokens[i].name / .sha256 / .roles: one list property
                first = first.substring(0, first.indexOf("[i]"));
            }
            String prefix = first.substring(0, first.lastIndexOf('.') + 1);
            List<String> values = backticked(defaults);
            String[] defaultParts = defaults.split(" / ");
            for (int n = 0; n < names.size(); n++) {
                String name = n == 0 ? first : prefix + names.get(n);
                String value = n < defaultParts.length && !backticked(defaultParts[n]).isEmpty()
                        ? backticked(defaultParts[n]).get(0) : null;
                if (names.size() == 1) {
                    value = values.isEmpty() ? null : values.get(0);
                }
                rows.put(name, new Row(name, value, defaults));
            }
        }

        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        for (BeanDefinition candidate : scanner.findCandidateComponents("org.masktune")) {
            Class<?> type = Class.forName(candidate.getBeanClassName());
            ConfigurationProperties annotation = type.getAnnotation(ConfigurationProperties.class);
            records.put(annotation.value().isEmpty() ? annotation.prefix() : annotation.value(), type);
        }

        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = PLACEHOLDER.matcher(Files.readString(source));
                while (m.find()) {
                    String earlier = placeholders.putIfAbsent(m.group(1), m.group(2));
                    assertTrue(earlier == null || earlier.equals(m.group(2)),
                            m.group(1) + " has two placeholder defaults: " + earlier + " and " + m.group(2) + " (" + source + ")");
                }
            }
        }
    }

    private static List<String> backticked(String cell) {
        List<String> found = new ArrayList<>();
        Matcher m = BACKTICKED.matcher(cell);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static Object defaults(String prefix) {
        return new Binder(new MapConfigurationPropertySource()).bindOrCreate(prefix, records.get(prefix));
    }

    private static Object component(Object record, String name) throws ReflectiveOperationException {
        for (RecordComponent c : record.getClass().getRecordComponents()) {
            if (kebab(c.getName()).equals(name)) {
                return c.getAccessor().invoke(record);
            }
        }
        throw new AssertionError(record.getClass().getSimpleName() + " has no property " + name);
    }

    private static boolean hasComponent(Class<?> record, String name) {
        return Stream.of(record.getRecordComponents()).anyMatch(c -> kebab(c.getName()).equals(name));
    }

    /** Every property the code reads, by its README name. */
    private static Map<String, String> codeProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        records.forEach((prefix, type) -> {
            for (RecordComponent c : type.getRecordComponents()) {
                properties.put(prefix + "." + kebab(c.getName()), type.getSimpleName());
            }
        });
        placeholders.keySet().forEach(p -> properties.putIfAbsent(p, "a ${...} placeholder"));
        return properties;
    }

    @Test
    void theTableFoundTheRowsItShould() {
        assertTrue(rows.size() >= 30, "rows read: " + rows.keySet());
        assertTrue(records.containsKey("masktune.worker") && records.containsKey("masktune.security"), records.keySet().toString());
        assertEquals("-Xmx4g -XX:+UseParallelGC", rows.get("masktune.worker.child-jvm-options").value());
        assertEquals("64MB", rows.get("masktune.retention.vacuum-threshold").value());
    }

    @Test
    void everyDefaultInTheTableIsTheCodesDefault() throws ReflectiveOperationException {
        List<String> wrong = new ArrayList<>();
        for (Row row : rows.values()) {
            String prefix = records.keySet().stream().filter(p -> row.property().startsWith(p + "."))
                    .max(java.util.Comparator.comparingInt(String::length))
                    .filter(p -> hasComponent(records.get(p), row.property().substring(p.length() + 1))).orElse(null);
            if (prefix != null) {
                String name = row.property().substring(prefix.length() + 1);
                Object actual = component(defaults(prefix), name);
                if (row.value() == null) {
                    if (!(actual == null || actual instanceof Collection<?> c && c.isEmpty())) {
                        wrong.add(row.property() + ": README says '" + row.cell() + "', the code's default is " + actual);
                    }
                    continue;
                }
                Object documented = component(new Binder(new MapConfigurationPropertySource(Map.of(row.property(), row.value())))
                        .bindOrCreate(prefix, records.get(prefix)), name);
                if (!java.util.Objects.equals(documented, actual)) {
                    wrong.add(row.property() + ": README says " + row.value() + ", the code's default is " + actual);
                }
            }
            String placeholder = placeholders.get(row.property());
            if (placeholder != null && !placeholder.equals(row.value())) {
                wrong.add(row.property() + ": README says " + row.value() + ", the placeholder's default is " + placeholder);
            }
            if (prefix == null && placeholder == null) {
                wrong.add(row.property() + ": documented but read nowhere in the code");
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void everyPropertyTheCodeReadsIsInTheTable() {
        List<String> missing = new ArrayList<>();
        codeProperties().forEach((property, where) -> {
            if (!rows.containsKey(property)) {
                missing.add(property + " (" + where + ")");
            }
        });
        assertEquals(List.of(), missing);
    }

    @Test
    void applicationYmlRepeatsNoDefault() throws IOException {
        List<PropertySource<?>> yml = new YamlPropertySourceLoader().load("application.yml",
                new FileSystemResource("src/main/resources/application.yml"));
        TreeSet<String> repeated = new TreeSet<>();
        Map<String, String> code = codeProperties();
        for (PropertySource<?> source : yml) {
            if (source.getSource() instanceof Map<?, ?> map) {
                for (Object key : map.keySet()) {
                    String property = key.toString().replaceAll("\\[\\d+]$", "");
                    if (code.containsKey(property)) {
                        repeated.add(property);
                    }
                }
            }
        }
        assertEquals(new TreeSet<>(), repeated, "defaults belong to the properties records; application.yml repeats them");
    }
}
