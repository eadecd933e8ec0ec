package org.masktune.ml.data;

import java.util.List;

/**
 * Where a reader puts the images it decodes: a Java array ({@link #MEMORY}, the direct decode) or a
 * file of a cache being built ({@link DatasetCache}). The same reader code fills both, so a cache
 * holds exactly the bytes a direct decode gives.
 */
interface PixelSink {

    /** Direct decode: every split becomes an {@link ImageSet} (bounded by what one array holds). */
    PixelSink MEMORY = (split, channels, height, width, count) -> new PixelWriter() {
        private final int bytes = channels * height * width;
        private final byte[] pixels = new byte[DataFiles.pixelArraySize(count, bytes)];

        @Override
        public void put(int image, byte[] chw, int offset) {
            System.arraycopy(chw, offset, pixels, image * bytes, bytes);
        }

        @Override
        public ImageSource finish(int[] labels, int[] groups, List<String> classes, List<String> groupNames, byte[] attributes,
                List<String> attributeNames) {
            return new ImageSet(channels, height, width, pixels, labels, groups, classes, groupNames, attributes, attributeNames);
        }

        @Override
        public void abort() {
        }
    };

    /** Says how many images all splits together will hold, before the first {@link #open}; for progress. */
    default void expect(long images) {
    }

    /** Storage for {@code count} images of one split. */
    PixelWriter open(String split, int channels, int height, int width, int count);

    /** The pixels of one split being written. */
    interface PixelWriter {

        /** Stores image {@code image} (its bytes at {@code offset}); safe to call from several threads for different images. */
        void put(int image, byte[] chw, int offset);

        /** Ends the split with its annotations and returns it readable. */
        ImageSource finish(int[] labels, int[] groups, List<String> classes, List<String> groupNames, byte[] attributes,
                List<String> attributeNames);

        /** Drops what was written (the reader starts this split over, e.g. with fewer channels). */
        void abort();
    }
}
