package org.masktune.ml.data;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvReadFeature;

/**
 * CSV metadata files (RFC 4180: comma separator, double-quoted fields with {@code ""} escapes, quoted commas and
 * newlines), parsed by Jackson CSV. Fields are stripped of surrounding white space, rows without any text are
 * skipped and a leading UTF-8 byte-order mark (spreadsheet exports) is dropped.
 */
final class Csv {

    private static final CsvMapper MAPPER = CsvMapper.builder().enable(CsvReadFeature.TRIM_SPACES).build();

    /**
     * One record.
     *
     * @param line   the 1-based line of the file it starts on (a quoted newline makes a record span lines)
     * @param fields its fields, stripped
     */
    record Row(int line, List<String> fields) {
    }

    private Csv() {
    }

    /** The records of a file of at most {@link DataFiles#MAX_TEXT_BYTES}, header included. */
    static List<Row> read(java.nio.file.Path file) {
        return parse(file, String.join("\n", DataFiles.readLines(file, DataFiles.MAX_TEXT_BYTES)));
    }

    static List<Row> parse(java.nio.file.Path file, String text) {
        List<Row> rows = new ArrayList<>();
        try (JsonParser parser = MAPPER.createParser(stripBom(text))) {
            List<String> fields = null;
            int line = -1;
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.START_ARRAY) {
                    fields = new ArrayList<>();
                    line = -1;
                } else if (token == JsonToken.VALUE_STRING && fields != null) {
                    if (line < 0) {
                        line = parser.currentTokenLocation().getLineNr();
                    }
                    fields.add(parser.getString().strip());
                } else if (token == JsonToken.END_ARRAY && fields != null) {
                    if (!(fields.size() == 1 && fields.get(0).isEmpty())) {
                        rows.add(new Row(line, List.copyOf(fields)));
                    }
                    fields = null;
                }
            }
        } catch (JacksonException e) {
            throw new DatasetFormatException(file, "is not valid CSV: " + e.getOriginalMessage(), e);
        }
        return rows;
    }

    /** Drops a UTF-8 byte-order mark, which spreadsheet exports put before the first header name. */
    static String stripBom(String line) {
        return !line.isEmpty() && line.charAt(0) == '\uFEFF' ? line.substring(1) : line;
    }
}
