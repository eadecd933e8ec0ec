package org.masktune.web;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Takes the server's own paths out of texts shown to API users (error details, job errors): the
 * working directory, the data roots and work dir, the JDK, home and temp folders become short
 * placeholders, and Java stack-frame lines are dropped. A last line of defence; messages are
 * written to name files relative to their data root in the first place.
 */
public final class ServerPaths {

    private static final Pattern STACK_FRAME = Pattern.compile("(?m)^\\s*at [\\w$.]+\\([^)]*\\)\\s*$\\n?");
    private static volatile Map<String, String> replacements = defaults(List.of());

    private ServerPaths() {
    }

    /** Adds the service's configured folders (data roots, work dir) to what is redacted. */
    public static void register(List<Path> dataRoots, Path workDir) {
        List<Path> extra = new ArrayList<>(dataRoots);
        extra.add(workDir);
        replacements = defaults(extra);
    }

    private static Map<String, String> defaults(List<Path> configured) {
        Map<String, String> map = new LinkedHashMap<>();
        for (Path p : configured) {
            add(map, p.toAbsolutePath().normalize().toString(), "<data>");
            try {
                add(map, p.toRealPath().toString(), "<data>");
            } catch (java.io.IOException | RuntimeException e) {
                // not there (yet)
            }
        }
        add(map, System.getProperty("user.dir"), ".");
        add(map, System.getProperty("java.home"), "<java>");
        add(map, System.getProperty("user.home"), "~");
        add(map, Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().toString(), "<tmp>");
        // longest first, so a data root under the working directory is named as a data root
        Map<String, String> sorted = new LinkedHashMap<>();
        map.entrySet().stream().sorted(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getKey().length()).reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    private static void add(Map<String, String> map, String path, String placeholder) {
        if (path != null && path.length() > 1) {
            map.putIfAbsent(path, placeholder);
        }
    }

    /** {@code text} without server paths and stack frames (null stays null). */
    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = STACK_FRAME.matcher(text).replaceAll("");
        for (Map.Entry<String, String> e : replacements.entrySet()) {
            out = out.replace(e.getKey(), e.getValue());
        }
        return out;
    }
}
