package org.masktune.web;

/** Something a request names does not exist (→ 404 problem+json with this title and message). */
public abstract class NotFoundException extends RuntimeException {

    private final String title;

    protected NotFoundException(String title, String message) {
        super(message);
        this.title = title;
    }

    public String title() {
        return title;
    }
}
