package org.masktune.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ByteRangeTest {

    @Test
    void resolvesTheThreeFormsAgainstTheLength() {
        assertThat(ByteRange.resolve("bytes=10-20", 100)).isEqualTo(new ByteRange(10, 20));
        assertThat(ByteRange.resolve("bytes=10-", 100)).isEqualTo(new ByteRange(10, 99));
        assertThat(ByteRange.resolve("bytes=-30", 100)).isEqualTo(new ByteRange(70, 99));
        assertThat(ByteRange.resolve("bytes=-300", 100)).isEqualTo(new ByteRange(0, 99));
        assertThat(ByteRange.resolve("bytes=90-200", 100)).isEqualTo(new ByteRange(90, 99));
        assertThat(ByteRange.resolve("BYTES = 0 - 0", 100)).isEqualTo(new ByteRange(0, 0));
        assertThat(ByteRange.resolve("bytes=0-99999999999999999999999", 100)).isEqualTo(new ByteRange(0, 99));
    }

    @Test
    void rangesPastTheEndAreUnsatisfiable() {
        assertThat(ByteRange.resolve("bytes=100-", 100)).isSameAs(ByteRange.UNSATISFIABLE);
        assertThat(ByteRange.resolve("bytes=100-200", 100)).isSameAs(ByteRange.UNSATISFIABLE);
        assertThat(ByteRange.resolve("bytes=-0", 100)).isSameAs(ByteRange.UNSATISFIABLE);
        assertThat(ByteRange.resolve("bytes=-5", 0)).isSameAs(ByteRange.UNSATISFIABLE);
        assertThat(ByteRange.resolve("bytes=99999999999999999999-", 100)).isSameAs(ByteRange.UNSATISFIABLE);
    }

    @Test
    void ignorableRangesMeanTheWholeFile() {
        assertThat(ByteRange.resolve(null, 100)).isSameAs(ByteRange.WHOLE);
        assertThat(ByteRange.resolve("bytes=20-10", 100)).isSameAs(ByteRange.WHOLE);
        assertThat(ByteRange.resolve("bytes=0-1,5-6", 100)).isSameAs(ByteRange.WHOLE);
        assertThat(ByteRange.resolve("items=0-1", 100)).isSameAs(ByteRange.WHOLE);
        assertThat(ByteRange.resolve("bytes=-", 100)).isSameAs(ByteRange.WHOLE);
    }
}
