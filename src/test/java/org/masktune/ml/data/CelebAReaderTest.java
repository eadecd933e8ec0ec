package org.masktune.ml.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CelebAReaderTest {

    static final List<String> NAMES = List.of("5_o_Clock_Shadow", "Arched_Eyebrows", "Attractive", "Bags_Under_Eyes", "Bald",
            "Bangs", "Big_Lips", "Big_Nose", "Black_Hair", "Blond_Hair", "Blurry", "Brown_Hair", "Bushy_Eyebrows", "Chubby",
            "Double_Chin", "Eyeglasses", "Goatee", "Gray_Hair", "Heavy_Makeup", "High_Cheekbones", "Male", "Mouth_Slightly_Open",
            "Mustache", "Narrow_Eyes", "No_Beard", "Oval_Face", "Pale_Skin", "Pointy_Nose", "Receding_Hairline", "Rosy_Cheeks",
            "Sideburns", "Smiling", "Straight_Hair", "Wavy_Hair", "Wearing_Earrings", "Wearing_Hat", "Wearing_Lipstick",
            "Wearing_Necklace", "Wearing_Necktie", "Young");
    static final int BLOND = NAMES.indexOf("Blond_Hair");
    static final int MALE = NAMES.indexOf("Male");
    static final int SMILING = NAMES.indexOf("Smiling");

    /** Image k: blond?, male?, smiling?, partition. */
    static final int[][] ROWS = {
            {1, 0, 1, 0}, // 000001: blond woman, train → group 1
            {0, 1, 0, 0}, // 000002: dark man, train → group 2
            {1, 1, 0, 1}, // 000003: blond man, val → group 3
            {0, 0, 1, 2}, // 000004: dark woman, test → group 0
            {0, 1, 1, 0}, // 000005: dark man, train → group 2
    };

    @TempDir
    Path root;

    static String id(int k) {
        return String.format("%06d.jpg", k + 1);
    }

    /**
     * Image k is 16 wide, 48 high: a flat colour (40k+20, 200-40k, 90) in rows 16..31 and white above
     * and below, which the centre crop must cut away (the bands are whole 16-row JPEG blocks so the
     * compression does not smear them into the colour).
     */
    static void writeImages(Path root, int... which) {
        for (int k : which) {
            var img = TestFiles.solid(16, 48, 40 * k + 20, 200 - 40 * k, 90);
            for (int y = 0; y < 48; y++) {
                for (int x = 0; x < 16 && (y < 16 || y >= 32); x++) {
                    img.setRGB(x, y, 0xFFFFFF);
                }
            }
            TestFiles.image(root.resolve("img_align_celeba").resolve(id(k)), img);
        }
    }

    private static int[] values(int[] row) {
        int[] v = new int[40];
        java.util.Arrays.fill(v, -1);
        v[BLOND] = row[0] == 1 ? 1 : -1;
        v[MALE] = row[1] == 1 ? 1 : -1;
        v[SMILING] = row[2] == 1 ? 1 : -1;
        return v;
    }

    static void writeCsvLayout(Path root) {
        StringBuilder attr = new StringBuilder("image_id," + String.join(",", NAMES) + "\n");
        StringBuilder part = new StringBuilder("image_id,partition\n");
        for (int k = 0; k < ROWS.length; k++) {
            attr.append(id(k));
            for (int v : values(ROWS[k])) {
                attr.append(',').append(v);
            }
            attr.append('\n');
            part.append(id(k)).append(',').append(ROWS[k][3]).append('\n');
        }
        TestFiles.write(root.resolve("list_attr_celeba.csv"), attr.toString());
        TestFiles.write(root.resolve("list_eval_partition.csv"), part.toString());
    }

    static void writeTxtLayout(Path root) {
        // the original: count line, names line with a trailing space, values padded with two spaces
        StringBuilder attr = new StringBuilder(ROWS.length + "\n" + String.join(" ", NAMES) + " \n");
        StringBuilder part = new StringBuilder();
        for (int k = 0; k < ROWS.length; k++) {
            attr.append(id(k));
            for (int v : values(ROWS[k])) {
                attr.append(v == 1 ? "  1" : " -1");
            }
            attr.append('\n');
            part.append(id(k)).append(' ').append(ROWS[k][3]).append('\n');
        }
        TestFiles.write(root.resolve("list_attr_celeba.txt"), attr.toString());
        TestFiles.write(root.resolve("list_eval_partition.txt"), part.toString());
    }

    private static CelebAOptions options(int size, List<String> attributes, Integer subset) {
        return new CelebAOptions(null, null, size, attributes, subset, 7L);
    }

    void assertDefaultRead(LoadedDataset ds) {
        assertEquals(List.of("train", "val", "test"), ds.splitNames());
        ImageSet train = ds.split("train");
        assertArrayEquals(new int[] {1, 0, 0}, train.labels());
        assertArrayEquals(new int[] {1, 2, 2}, train.groups());
        assertEquals(List.of("not-Blond_Hair", "Blond_Hair"), train.classes());
        assertEquals(List.of("not-Blond_Hair/not-Male", "Blond_Hair/not-Male", "not-Blond_Hair/Male", "Blond_Hair/Male"), train.groupNames());
        assertArrayEquals(new int[] {3}, ds.split("val").groups());
        assertArrayEquals(new int[] {0}, ds.split("test").groups());
        assertEquals(3, train.channels());
        assertEquals(4, train.height());
        assertEquals(4, train.width());
        // image 000005 (k = 4) is train #2: colour (180, 40, 90); the white rows were cropped away.
        // Output rows 0 and 3 are left out: the JPEG decoder's chroma upsampling tints source rows 16
        // and 31 from the white bands (measured: red 157 there).
        for (int y = 1; y < 3; y++) {
            assertEquals(180, train.pixel(2, 0, y, 1), 4);
            assertEquals(40, train.pixel(2, 1, y, 2), 4);
            assertEquals(90, train.pixel(2, 2, y, 3), 4);
        }
        assertEquals(20, train.pixel(0, 0, 1, 0), 4);
        assertEquals(100, ds.split("val").pixel(0, 0, 2, 3), 4);
    }

    @Test
    void readsTheKaggleCsvLayout() {
        writeCsvLayout(root);
        writeImages(root, 0, 1, 2, 3, 4);

        assertDefaultRead(CelebAReader.read(root, options(4, List.of(), null)));
    }

    @Test
    void readsTheOriginalTxtLayout() {
        writeTxtLayout(root);
        writeImages(root, 0, 1, 2, 3, 4);

        assertDefaultRead(CelebAReader.read(root, options(4, List.of(), null)));
    }

    @Test
    void otherTargetAndSpuriousAttributesAndMultiLabel() {
        writeCsvLayout(root);
        writeImages(root, 0, 1, 2, 3, 4);

        ImageSet train = CelebAReader.read(root, new CelebAOptions("Smiling", "Blond_Hair", 2, List.of("Male", "Smiling"), null, 0L))
                .split("train");

        assertArrayEquals(new int[] {1, 0, 1}, train.labels());
        assertArrayEquals(new int[] {3, 0, 1}, train.groups()); // 2·blond + smiling
        assertEquals(List.of("Male", "Smiling"), train.attributeNames());
        assertArrayEquals(new byte[] {0, 1, 1, 0, 1, 1}, train.attributes());
        assertEquals("Smiling/not-Blond_Hair", train.groupNames().get(1));
    }

    @Test
    void subsetIsChosenBeforeDecodingSoOtherImagesNeedNotExist() {
        writeCsvLayout(root);
        // train rows are images 0, 1, 4; only the 2 the seeded subset chooses are written
        int[] chosen = Splits.subsetIndices(3, 2, 7L);
        int[] trainImages = {0, 1, 4};
        writeImages(root, trainImages[chosen[0]], trainImages[chosen[1]], 2, 3);

        ImageSet train = CelebAReader.read(root, options(4, List.of(), 2)).split("train");

        assertEquals(2, train.size());
        int[] expectedGroups = {1, 2, 2};
        assertArrayEquals(new int[] {expectedGroups[chosen[0]], expectedGroups[chosen[1]]}, train.groups());
    }

    @Test
    void missingAttributeColumnListsTheAvailableOnes() {
        writeCsvLayout(root);
        writeImages(root, 0, 1, 2, 3, 4);

        var e = assertThrows(DatasetFormatException.class,
                () -> CelebAReader.read(root, new CelebAOptions("Blond_Hiar", "Male", 4, List.of(), null, 0L)));

        assertTrue(e.getMessage().startsWith("list_attr_celeba.csv: has no attribute column 'Blond_Hiar'; available: 5_o_Clock_Shadow, "),
                e.getMessage());
    }

    @Test
    void missingImageIsNamed() {
        writeCsvLayout(root);
        writeImages(root, 0, 1, 3, 4);

        var e = assertThrows(DatasetFormatException.class, () -> CelebAReader.read(root, options(4, List.of(), null)));

        assertEquals("img_align_celeba/000003.jpg: file not found", e.getMessage());
    }

    @Test
    void txtWhoseCountLineDisagreesIsTruncated() {
        writeTxtLayout(root);
        String txt = "6" + TestFilesRead.read(root.resolve("list_attr_celeba.txt")).substring(1);
        TestFiles.write(root.resolve("list_attr_celeba.txt"), txt);

        var e = assertThrows(DatasetFormatException.class, () -> CelebAReader.read(root, options(4, List.of(), null)));

        assertEquals("list_attr_celeba.txt: line 1 announces 6 images but 5 rows follow", e.getMessage());
    }

    @Test
    void imageWithoutPartitionEntryIsNamed() {
        writeCsvLayout(root);
        TestFiles.write(root.resolve("list_eval_partition.csv"), "image_id,partition\n000001.jpg,0\n");

        var e = assertThrows(DatasetFormatException.class, () -> CelebAReader.read(root, options(4, List.of(), null)));

        assertEquals("list_eval_partition.csv: has no entry for 000002.jpg (listed in list_attr_celeba.csv)", e.getMessage());
    }
}
