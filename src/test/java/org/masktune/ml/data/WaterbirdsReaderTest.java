package org.masktune.ml.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WaterbirdsReaderTest {

    @TempDir
    Path root;

    /** The real column set, in the real order, plus the per-image places the real file names. */
    private static final String HEADER = "img_id,img_filename,y,split,place,place_filename";

    private void writeImages() {
        TestFiles.image(root.resolve("001.Black_footed_Albatross/a.jpg"), TestFiles.solid(32, 16, 10, 100, 200));
        TestFiles.image(root.resolve("001.Black_footed_Albatross/b.jpg"), TestFiles.solid(16, 16, 250, 250, 0));
        TestFiles.image(root.resolve("094.White_breasted_Nuthatch/c.jpg"), TestFiles.solid(24, 40, 0, 0, 0));
        TestFiles.image(root.resolve("094.White_breasted_Nuthatch/d.png"), TestFiles.solid(5, 7, 60, 70, 80));
    }

    @Test
    void readsLabelsGroupsSplitsAndPixels() {
        writeImages();
        TestFiles.write(root.resolve("metadata.csv"), HEADER + "\n"
                + "1,001.Black_footed_Albatross/a.jpg,1,0,1,/o/ocean/00002178.jpg\n"
                + "2,001.Black_footed_Albatross/b.jpg,1,0,0,/b/bamboo_forest/00000001.jpg\n"
                + "3,094.White_breasted_Nuthatch/c.jpg,0,2,1,/l/lake/natural/00000001.jpg\n"
                + "4,094.White_breasted_Nuthatch/d.png,0,1,0,/b/bamboo_forest/00000002.jpg\n");

        LoadedDataset ds = WaterbirdsReader.read(root, new WaterbirdsOptions(4, null, 0L));

        assertEquals(List.of("train", "val", "test"), ds.splitNames());
        ImageSet train = ds.split("train");
        assertArrayEquals(new int[] {1, 1}, train.labels());
        assertArrayEquals(new int[] {3, 1}, train.groups());
        assertEquals(List.of("landbird", "waterbird"), train.classes());
        assertEquals(List.of("landbird/land", "waterbird/land", "landbird/water", "waterbird/water"), train.groupNames());
        assertArrayEquals(new int[] {0}, ds.split("val").groups());
        assertArrayEquals(new int[] {2}, ds.split("test").groups());
        assertEquals(3, train.channels());
        assertEquals(4, train.height());
        assertEquals(200, train.pixel(0, 2, 1, 1), 3);
        assertEquals(100, train.pixel(0, 1, 3, 3), 3);
        assertEquals(250, train.pixel(1, 0, 2, 2), 3);
        assertEquals(70, ds.split("val").pixel(0, 1, 0, 3)); // PNG: exact
        assertEquals(0, ds.split("test").pixel(0, 0, 2, 2), 3);
    }

    @Test
    void columnsAreFoundByHeaderNameInAnyOrder() {
        writeImages();
        TestFiles.write(root.resolve("metadata.csv"), "place,extra,split,y,img_filename\n"
                + "1,x,0,0,094.White_breasted_Nuthatch/c.jpg\n");

        ImageSet train = WaterbirdsReader.read(root, new WaterbirdsOptions(2, null, 0L)).split("train");

        assertArrayEquals(new int[] {0}, train.labels());
        assertArrayEquals(new int[] {2}, train.groups());
    }

    @Test
    void quotedCommasAndNewlinesStayInsideTheirField() {
        writeImages();
        TestFiles.image(root.resolve("094.White_breasted_Nuthatch/e, f.png"), TestFiles.solid(5, 7, 1, 2, 3));
        TestFiles.write(root.resolve("metadata.csv"), "img_filename,note,y,split,place\n"
                + "\"094.White_breasted_Nuthatch/e, f.png\",\"seen at dawn,\nnear the \"\"lake\"\"\",0,0,1\n"
                + "094.White_breasted_Nuthatch/c.jpg,plain,1,0,0\n"
                + "094.White_breasted_Nuthatch/c.jpg,\"two\nlines\",0,9,0\n");

        var e = assertThrows(DatasetFormatException.class, () -> WaterbirdsReader.read(root, new WaterbirdsOptions(2, null, 0L)));
        // the bad split is on the record that starts on line 5: the quoted newline of line 2 did not end a record
        assertEquals("metadata.csv: line 5, column split: '9', expected an integer 0..2", e.getMessage());

        TestFiles.write(root.resolve("metadata.csv"), "img_filename,note,y,split,place\n"
                + "\"094.White_breasted_Nuthatch/e, f.png\",\"seen at dawn,\nnear the \"\"lake\"\"\",0,0,1\n"
                + "094.White_breasted_Nuthatch/c.jpg,plain,1,0,0\n");
        ImageSet train = WaterbirdsReader.read(root, new WaterbirdsOptions(2, null, 0L)).split("train");
        assertArrayEquals(new int[] {0, 1}, train.labels());
        assertArrayEquals(new int[] {2, 1}, train.groups());
        assertEquals(3, train.pixel(0, 2, 0, 0)); // the quoted-comma file was found and decoded (PNG: exact)
    }

    @Test
    void missingRequiredColumnNamesMetadataAndTheColumn() {
        writeImages();
        TestFiles.write(root.resolve("metadata.csv"), "img_id,img_filename,y,split,location\n1,001.Black_footed_Albatross/a.jpg,1,0,1\n");

        var e = assertThrows(DatasetFormatException.class, () -> WaterbirdsReader.read(root, WaterbirdsOptions.defaults()));

        assertEquals("metadata.csv: has no column 'place'; header: [img_id, img_filename, y, split, location];"
                + " required: [img_filename, y, split, place]", e.getMessage());
    }

    @Test
    void badValuesAndEscapingPathsAreRejected() {
        writeImages();
        TestFiles.write(root.resolve("metadata.csv"), "img_filename,y,split,place\n001.Black_footed_Albatross/a.jpg,1,3,0\n");
        var split = assertThrows(DatasetFormatException.class, () -> WaterbirdsReader.read(root, WaterbirdsOptions.defaults()));
        assertEquals("metadata.csv: line 2, column split: '3', expected an integer 0..2", split.getMessage());

        TestFiles.write(root.resolve("metadata.csv"), "img_filename,y,split,place\n../secret.jpg,1,0,0\n");
        var escape = assertThrows(DatasetFormatException.class, () -> WaterbirdsReader.read(root, WaterbirdsOptions.defaults()));
        assertEquals("metadata.csv: line 2: img_filename '../secret.jpg' must be a relative path inside the dataset folder",
                escape.getMessage());
    }

    @Test
    void missingImageIsNamedByItsRelativePath() {
        writeImages();
        TestFiles.write(root.resolve("metadata.csv"), "img_filename,y,split,place\n001.Black_footed_Albatross/zz.jpg,1,0,0\n");

        var e = assertThrows(DatasetFormatException.class, () -> WaterbirdsReader.read(root, WaterbirdsOptions.defaults()));

        assertEquals("001.Black_footed_Albatross/zz.jpg: file not found", e.getMessage());
    }
}
