package org.masktune.ml.interop;

import java.io.IOException;

/** A file that is not (or no longer, e.g. truncated) a readable safetensors file; the message says what is wrong. */
public class SafetensorsFormatException extends IOException {

    public SafetensorsFormatException(String message) {
        super(message);
    }
}
