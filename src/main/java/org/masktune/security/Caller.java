package org.masktune.security;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** Who makes the current request: the token's name, or null in open mode and outside requests. */
public final class Caller {

    private Caller() {
    }

    public static String name() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth == null || auth instanceof AnonymousAuthenticationToken || !auth.isAuthenticated()) {
            return null;
        }
        return auth.getName();
    }

    /**
     * Whether the caller may act on something {@code owner} submitted: always in open mode (no
     * authentication in the request), otherwise when it is the caller's own or the caller is admin.
     */
    public static boolean mayActOn(String owner) {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth == null || auth instanceof AnonymousAuthenticationToken || !auth.isAuthenticated()) {
            return true;
        }
        boolean admin = auth.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals(Role.ADMIN.authority()));
        return admin || auth.getName().equals(owner);
    }
}
