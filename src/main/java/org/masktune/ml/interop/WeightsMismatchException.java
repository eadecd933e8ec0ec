package org.masktune.ml.interop;

/**
 * Weights that do not fit the model: a missing, unexpected or mis-shaped tensor (or a file that
 * cannot be read). {@code key} is the first offending tensor name, null when the file itself is bad.
 */
public class WeightsMismatchException extends IllegalArgumentException {

    private final String key;

    public WeightsMismatchException(String key, String message) {
        super(message);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
