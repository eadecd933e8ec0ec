package org.masktune.ml.saliency;

/** A nearest-class-centroid probe: how well a few features tell the label, fitted and scored on disjoint halves. */
final class NearestCentroid {

    private NearestCentroid() {
    }

    /**
     * Fits one centroid per label on half of the rows and returns the balanced accuracy (mean per-class recall) on
     * the other half; the halves are a fixed hash of the row index, so they do not follow any order of the rows.
     * Rows that are null are skipped. NaN when a half lacks a class that the
     * other has or there are no rows to score.
     */
    static double balancedAccuracy(float[][] features, int[] labels) {
        int classes = 0;
        int dims = 0;
        for (int i = 0; i < labels.length; i++) {
            if (features[i] != null) {
                classes = Math.max(classes, labels[i] + 1);
                dims = features[i].length;
            }
        }
        if (classes < 2) {
            return Double.NaN;
        }
        double[][] centroids = new double[classes][dims];
        int[] counts = new int[classes];
        for (int i = 0; i < labels.length; i++) {
            if (features[i] != null && fitHalf(i)) {
                counts[labels[i]]++;
                for (int d = 0; d < dims; d++) {
                    centroids[labels[i]][d] += features[i][d];
                }
            }
        }
        for (int c = 0; c < classes; c++) {
            if (counts[c] == 0) {
                return Double.NaN;
            }
            for (int d = 0; d < dims; d++) {
                centroids[c][d] /= counts[c];
            }
        }
        int[] seen = new int[classes];
        int[] right = new int[classes];
        for (int i = 0; i < labels.length; i++) {
            if (features[i] == null || fitHalf(i)) {
                continue;
            }
            int best = 0;
            double bestDistance = Double.POSITIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                double distance = 0;
                for (int d = 0; d < dims; d++) {
                    double diff = features[i][d] - centroids[c][d];
                    distance += diff * diff;
                }
                if (distance < bestDistance) {
                    bestDistance = distance;
                    best = c;
                }
            }
            seen[labels[i]]++;
            if (best == labels[i]) {
                right[labels[i]]++;
            }
        }
        double sum = 0;
        int scored = 0;
        for (int c = 0; c < classes; c++) {
            if (seen[c] > 0) {
                sum += (double) right[c] / seen[c];
                scored++;
            }
        }
        return scored < 2 ? Double.NaN : sum / scored;
    }

    static boolean fitHalf(int row) {
        return (((row * 0x9E3779B97F4A7C15L) >>> 32) & 1) == 0;
    }
}
