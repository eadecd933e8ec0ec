package org.masktune.artifacts;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code Range: bytes=...} request (RFC 9110 §14) resolved against a representation's length:
 * {@code a-b}, {@code a-} and the suffix {@code -n}.
 */
record ByteRange(long first, long last) {

    /** Answer with the whole representation: no Range, one we may ignore (malformed, several ranges, not bytes). */
    static final ByteRange WHOLE = new ByteRange(-1, -1);
    /** 416: no byte of the representation is in the range. */
    static final ByteRange UNSATISFIABLE = new ByteRange(-2, -2);

    private static final Pattern SPEC = Pattern.compile("\\s*bytes\\s*=\\s*(\\d*)\\s*-\\s*(\\d*)\\s*", Pattern.CASE_INSENSITIVE);

    long length() {
        return last - first + 1;
    }

    static ByteRange resolve(String header, long size) {
        if (header == null) {
            return WHOLE;
        }
        Matcher m = SPEC.matcher(header);
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return WHOLE;
        }
        if (m.group(1).isEmpty()) {
            long suffix = parse(m.group(2));
            return suffix == 0 || size == 0 ? UNSATISFIABLE : new ByteRange(Math.max(0, size - suffix), size - 1);
        }
        long first = parse(m.group(1));
        long last = m.group(2).isEmpty() ? Long.MAX_VALUE : parse(m.group(2));
        if (last < first) {
            return WHOLE;
        }
        return first >= size ? UNSATISFIABLE : new ByteRange(first, Math.min(last, size - 1));
    }

    /** Digits to a long; numbers too big for one are past the end of anything we store anyway. */
    private static long parse(String digits) {
        return digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(digits);
    }
}
