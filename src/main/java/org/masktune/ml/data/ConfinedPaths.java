package org.masktune.ml.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves user-given dataset paths inside the configured data roots only. Rules: no {@code ..}
 * element anywhere; a relative path is looked up under each root in order; an absolute path must
 * lie under a root; and the real path (symlinks followed, {@link Path#toRealPath}) must still lie
 * under that root's real path. The result is the real path, so later reads cannot be redirected by
 * swapping a symlink in the user's path.
 */
public final class ConfinedPaths {

    private ConfinedPaths() {
    }

    /**
     * @return the real path of the existing file or folder {@code userPath} names inside a data root
     * @throws IllegalArgumentException naming the allowed roots, when the path escapes them, does
     *                                  not exist in any, or is malformed
     */
    public static Path resolve(List<Path> dataRoots, String userPath) {
        if (dataRoots == null || dataRoots.isEmpty()) {
            throw new IllegalArgumentException("no data roots are configured, so no dataset path '" + userPath + "' is allowed");
        }
        String allowed = allowedRoots(dataRoots);
        if (userPath == null || userPath.isBlank()) {
            throw new IllegalArgumentException("dataset path is empty; give a path relative to a data root (" + allowed + ")");
        }
        Path path;
        try {
            path = Path.of(userPath);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("dataset path '" + userPath + "' is not a valid path: " + e.getReason() + " (" + allowed + ")");
        }
        for (Path element : path) {
            if (element.toString().equals("..")) {
                throw new IllegalArgumentException("dataset path '" + userPath + "' must not contain '..' (" + allowed + ")");
            }
        }
        List<Path[]> roots = existingRoots(dataRoots);
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("none of the data roots exists; " + allowed);
        }
        if (path.isAbsolute()) {
            Path normal = path.normalize();
            for (Path[] root : roots) {
                if (normal.startsWith(root[0]) || normal.startsWith(root[1])) {
                    return confined(normal, root, userPath, allowed);
                }
            }
            throw new IllegalArgumentException("dataset path '" + userPath + "' is outside the data roots (" + allowed + ")");
        }
        for (Path[] root : roots) {
            Path candidate = root[0].resolve(path);
            if (Files.exists(candidate)) {
                return confined(candidate, root, userPath, allowed);
            }
        }
        throw new IllegalArgumentException("dataset path '" + userPath + "' does not exist under any data root (" + allowed + ")");
    }

    /**
     * Checks every symbolic link inside the dataset folder {@code folder} (a real path, as
     * {@link #resolve} returns): each must lead to a file or folder inside it, so that a reader
     * opening {@code folder/train-images-idx3-ubyte} cannot be sent to {@code /etc/passwd}. Links are
     * not followed while walking; a dangling link is refused too.
     *
     * @throws DatasetFormatException naming the link relative to the folder
     */
    public static void checkLinksInside(Path folder) {
        Path real;
        try {
            real = folder.toRealPath();
        } catch (IOException e) {
            throw new DatasetFormatException(folder, "folder not found");
        }
        try (java.util.stream.Stream<Path> paths = Files.walk(real)) {
            paths.filter(Files::isSymbolicLink).forEach(link -> {
                String name = real.relativize(link).toString();
                Path target;
                try {
                    target = link.toRealPath();
                } catch (IOException e) {
                    throw new DatasetFormatException(name, "is a symbolic link to nothing");
                }
                if (!target.startsWith(real)) {
                    throw new DatasetFormatException(name, "is a symbolic link leading outside the dataset folder; links may only"
                            + " point inside it");
                }
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new DatasetFormatException(folder, "cannot be listed");
        }
    }

    /**
     * How errors name the roots: by count and setting, never by their server paths (which API users
     * need not know: a path is given relative to a root).
     */
    static String allowedRoots(List<Path> dataRoots) {
        return "paths are relative to the data roots, masktune.datasets.roots: " + dataRoots.size() + " configured";
    }

    /** The real path of {@code candidate}, which must stay under the real path of {@code root}. */
    private static Path confined(Path candidate, Path[] root, String userPath, String allowed) {
        Path real;
        try {
            real = candidate.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("dataset path '" + userPath + "' does not exist (" + allowed + ")");
        }
        if (!real.startsWith(root[1])) {
            throw new IllegalArgumentException("dataset path '" + userPath + "' leads outside the data roots through a symbolic link ("
                    + allowed + ")");
        }
        return real;
    }

    /** Each existing root as {absolute normalised path, real path}. */
    private static List<Path[]> existingRoots(List<Path> dataRoots) {
        List<Path[]> roots = new ArrayList<>();
        for (Path root : dataRoots) {
            try {
                roots.add(new Path[] {root.toAbsolutePath().normalize(), root.toRealPath()});
            } catch (IOException e) {
                // a root that does not exist (yet) holds no datasets
            }
        }
        return roots;
    }
}
