package org.masktune.ml.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfinedPathsTest {

    @TempDir
    Path tmp;

    Path rootA;
    Path rootB;
    Path outside;
    List<Path> roots;

    @BeforeEach
    void layout() throws IOException {
        rootA = Files.createDirectories(tmp.resolve("rootA"));
        rootB = Files.createDirectories(tmp.resolve("rootB"));
        outside = Files.createDirectories(tmp.resolve("secret"));
        Files.createDirectories(rootA.resolve("mnist/raw"));
        Files.createDirectories(rootB.resolve("celeba"));
        roots = List.of(rootA, rootB);
    }

    @Test
    void goodRelativePathsResolveToTheRootThatHasThem() throws IOException {
        assertEquals(rootA.resolve("mnist/raw").toRealPath(), ConfinedPaths.resolve(roots, "mnist/raw"));
        assertEquals(rootB.resolve("celeba").toRealPath(), ConfinedPaths.resolve(roots, "celeba"));
        assertEquals(rootA.resolve("mnist").toRealPath(), ConfinedPaths.resolve(roots, "./mnist/"));
    }

    @Test
    void absolutePathInsideARootIsAccepted() throws IOException {
        assertEquals(rootB.resolve("celeba").toRealPath(), ConfinedPaths.resolve(roots, rootB.resolve("celeba").toString()));
    }

    @Test
    void dotDotIsRejectedEvenWhenItWouldStayInside() {
        var escape = assertThrows(IllegalArgumentException.class, () -> ConfinedPaths.resolve(roots, "../secret"));
        var inside = assertThrows(IllegalArgumentException.class, () -> ConfinedPaths.resolve(roots, "mnist/../mnist"));

        assertEquals("dataset path '../secret' must not contain '..' (" + ConfinedPaths.allowedRoots(roots) + ")", escape.getMessage());
        assertTrue(inside.getMessage().contains("must not contain '..'"));
    }

    @Test
    void absolutePathOutsideEveryRootIsRejectedNamingTheRoots() {
        var e = assertThrows(IllegalArgumentException.class, () -> ConfinedPaths.resolve(roots, outside.toString()));

        assertEquals("dataset path '" + outside + "' is outside the data roots (" + ConfinedPaths.allowedRoots(roots) + ")", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConfinedPaths.resolve(roots, "/"));
    }

    @Test
    void symlinkWhoseRealPathEscapesIsRejected() throws IOException {
        Files.createSymbolicLink(rootA.resolve("sneaky"), outside);
        Files.createSymbolicLink(rootA.resolve("mnist/alias"), rootA.resolve("mnist/raw"));

        var relative = assertThrows(IllegalArgumentException.class, () -> ConfinedPaths.resolve(roots, "sneaky"));
        var absolute = assertThrows(IllegalArgumentException.class, () -> ConfinedPaths.resolve(roots, rootA.resolve("sneaky").toString()));

        assertTrue(relative.getMessage().contains("leads outside the data roots through a symbolic link"), relative.getMessage());
        assertTrue(absolute.getMessage().contains("through a symbolic link"), absolute.getMessage());
        // a link that stays inside the root is fine, and resolves to its target
        assertEquals(rootA.resolve("mnist/raw").toRealPath(), ConfinedPaths.resolve(roots, "mnist/alias"));
    }

    @Test
    void missingAndBlankPathsAreRejected() {
        var missing = assertThrows(IllegalArgumentException.class, () -> ConfinedPaths.resolve(roots, "nope"));
        assertEquals("dataset path 'nope' does not exist under any data root (" + ConfinedPaths.allowedRoots(roots) + ")", missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConfinedPaths.resolve(roots, " "));
        assertThrows(IllegalArgumentException.class, () -> ConfinedPaths.resolve(roots, "bad\0name"));
        assertThrows(IllegalArgumentException.class, () -> ConfinedPaths.resolve(List.of(), "mnist"));
    }

    @Test
    void linksInsideADatasetFolderMustStayInsideIt() throws IOException {
        Path folder = Files.createDirectories(rootA.resolve("linked"));
        Files.writeString(outside.resolve("passwd"), "root:x:0:0");
        Files.writeString(folder.resolve("real-labels"), "x");
        Files.createSymbolicLink(folder.resolve("inside-link"), folder.resolve("real-labels"));
        ConfinedPaths.checkLinksInside(folder); // links within the folder are fine

        Files.createDirectories(folder.resolve("sub"));
        Files.createSymbolicLink(folder.resolve("sub/train-images-idx3-ubyte"), outside.resolve("passwd"));
        var e = assertThrows(DatasetFormatException.class, () -> ConfinedPaths.checkLinksInside(folder));

        assertEquals("sub/train-images-idx3-ubyte: is a symbolic link leading outside the dataset folder; links may only point inside it",
                e.getMessage());
        assertTrue(!e.getMessage().contains(outside.toString()));
    }

    @Test
    void aReaderNeverOpensALinkOutOfTheFolder() throws IOException {
        Path folder = Files.createDirectories(rootA.resolve("idx-linked"));
        Files.writeString(outside.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash");
        Files.createSymbolicLink(folder.resolve("train-images-idx3-ubyte"), outside.resolve("passwd"));
        Files.createSymbolicLink(folder.resolve("train-labels-idx1-ubyte"), outside.resolve("passwd"));

        var e = assertThrows(DatasetFormatException.class,
                () -> DatasetLoader.load(DatasetSpec.folder(DatasetFormat.IDX, "idx-linked"), roots));

        assertTrue(e.getMessage().contains("symbolic link leading outside"), e.getMessage());
        assertTrue(!e.getMessage().contains("root:x"), "nothing of the target is shown: " + e.getMessage());
    }
}
