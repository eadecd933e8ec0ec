package org.masktune.ml.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvTest {

    private static final Path FILE = Path.of("meta.csv");

    @Test
    void quotedCommasNewlinesAndQuotesStayInOneField() {
        List<Csv.Row> rows = Csv.parse(FILE, "\uFEFFid,text\r\n"
                + "\"a,b\",\"first line\nsecond, line\"\n"
                + "\n   \n"
                + "c , \"say \"\"hi\"\"\"\n");

        assertEquals(List.of(new Csv.Row(1, List.of("id", "text")),
                new Csv.Row(2, List.of("a,b", "first line\nsecond, line")),
                new Csv.Row(6, List.of("c", "say \"hi\""))), rows);
    }

    @Test
    void anUnclosedQuoteNamesTheFile() {
        var e = assertThrows(DatasetFormatException.class, () -> Csv.parse(FILE, "id,text\n1,\"never closed\n"));
        assertEquals(true, e.getMessage().startsWith("meta.csv: is not valid CSV"), e.getMessage());
    }
}
