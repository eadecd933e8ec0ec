package org.masktune.ml.data;

import java.nio.file.Path;

/**
 * A dataset file is missing, corrupt, truncated or inconsistent. The message always starts with the
 * file's name (not its full server path, which may be shown to API users) and says what is wrong.
 */
public class DatasetFormatException extends RuntimeException {

    private final String file;

    /** @param file the file as the user knows it, e.g. {@code train-images-idx3-ubyte.gz} or {@code cat/001.png} */
    public DatasetFormatException(String file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public DatasetFormatException(String file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    public DatasetFormatException(Path file, String problem) {
        this(displayName(file), problem);
    }

    public DatasetFormatException(Path file, String problem, Throwable cause) {
        this(displayName(file), problem, cause);
    }

    /** The file named in the message. */
    public String file() {
        return file;
    }

    static String displayName(Path file) {
        Path name = file.getFileName();
        return name == null ? file.toString() : name.toString();
    }
}
