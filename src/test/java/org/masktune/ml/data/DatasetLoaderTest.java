package org.masktune.ml.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetLoaderTest {

    @TempDir
    Path dataRoot;

    @Test
    void biasedMnistAtAnotherSizeKeepsAnExactSquare() {
        DatasetSpec spec = DatasetSpec.builtIn("biased-mnist").withImageSize(32);

        ImageSet train = DatasetLoader.load(spec, (Path) null).split("train");

        assertEquals(32, train.height());
        assertEquals(3, train.channels());
        int i = 0;
        while (train.groups()[i] != 2) {
            i++;
        }
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                assertEquals(255, train.pixel(i, 0, y, x));
                assertEquals(0, train.pixel(i, 1, y, x));
                assertEquals(0, train.pixel(i, 2, y, x));
            }
        }
    }

    @Test
    void idxFolderUnderADataRootWithSubsetAndResize() {
        byte[] px = new byte[5 * 4];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 10);
        }
        Path dir = dataRoot.resolve("digits");
        TestFiles.write(dir.resolve("train-images-idx3-ubyte.gz"), TestFiles.gzip(TestFiles.idxImages(5, 2, 2, px)));
        TestFiles.write(dir.resolve("train-labels-idx1-ubyte.gz"), TestFiles.gzip(TestFiles.idxLabels(0, 1, 2, 3, 4)));
        DatasetSpec spec = new DatasetSpec(DatasetFormat.IDX, null, "digits", 1, null, null, null, null, 3, 11L);

        ImageSet train = DatasetLoader.load(spec, List.of(dataRoot)).split("train");

        int[] chosen = Splits.subsetIndices(5, 3, 11L);
        assertArrayEquals(chosen, train.labels()); // label i = image i
        assertEquals(1, train.height());
        // each image shrunk to 1×1: mean of its 4 pixels 40i, 40i+10, 40i+20, 40i+30 → 40i + 15
        for (int k = 0; k < 3; k++) {
            assertEquals(40 * chosen[k] + 15, train.pixel(k, 0, 0, 0));
        }
    }

    @Test
    void escapingPathIsRejectedBeforeAnyRead() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> DatasetLoader.load(DatasetSpec.folder(DatasetFormat.CIFAR10, "../etc"), List.of(dataRoot)));

        assertEquals(true, e.getMessage().contains("must not contain '..'"));
    }

    @Test
    void dispatchesCelebAWaterbirdsAndImageFolder() {
        Path celeba = dataRoot.resolve("celeba");
        CelebAReaderTest.writeCsvLayout(celeba);
        CelebAReaderTest.writeImages(celeba, 0, 1, 2, 3, 4);
        DatasetSpec celebaSpec = new DatasetSpec(DatasetFormat.CELEBA, null, "celeba", 4, "Smiling", null, null, null, null, null);
        ImageSet c = DatasetLoader.load(celebaSpec, List.of(dataRoot)).split("train");
        assertArrayEquals(new int[] {1, 0, 1}, c.labels());
        assertEquals(4, c.width());

        Path wb = dataRoot.resolve("wb");
        TestFiles.image(wb.resolve("x/a.png"), TestFiles.solid(6, 6, 1, 2, 3));
        TestFiles.write(wb.resolve("metadata.csv"), "img_filename,y,split,place\nx/a.png,1,0,1\n");
        ImageSet w = DatasetLoader.load(DatasetSpec.folder(DatasetFormat.WATERBIRDS, "wb"), List.of(dataRoot)).split("train");
        assertEquals(64, w.height());
        assertArrayEquals(new int[] {3}, w.groups());

        Path folder = dataRoot.resolve("shapes");
        TestFiles.image(folder.resolve("b/1.png"), TestFiles.grey(new int[][] {{9, 9}, {9, 9}}));
        TestFiles.image(folder.resolve("a/1.png"), TestFiles.grey(new int[][] {{1, 2}, {3, 4}}));
        ImageSet f = DatasetLoader.load(DatasetSpec.folder(DatasetFormat.IMAGE_FOLDER, "shapes").withImageSize(1), List.of(dataRoot))
                .split("train");
        assertArrayEquals(new byte[] {3, 9}, f.pixels()); // (1+2+3+4)/4 = 2.5 → 3
    }
}
