package org.masktune.security;

import java.util.Locale;

/** What a token may do; each role includes the ones before it. */
public enum Role {
    /** look at jobs, results, datasets, models, workers */
    READ,
    /** submit jobs and pipelines, cancel one's own jobs */
    SUBMIT,
    /** register datasets, delete, cancel anyone's jobs, metrics */
    ADMIN;

    /** The Spring Security authority: {@code ROLE_READ} etc. */
    public String authority() {
        return "ROLE_" + name();
    }

    /** Accepts {@code read}, {@code Read}, {@code READ} in configuration. */
    public static Role of(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
