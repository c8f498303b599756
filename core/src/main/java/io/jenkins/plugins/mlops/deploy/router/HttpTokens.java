package io.jenkins.plugins.mlops.deploy.router;

import java.util.Arrays;

/** RFC 9110's tokens and the hop-by-hop headers a proxy does not forward. */
final class HttpTokens {
    /**
     * RFC 9110 7.6.1: meaningful for one connection only, never forwarded (Host and Content-Length
     * are written anew); indexed by length, so that a header is checked without lower-casing a copy
     * of its name (once per header of every request and answer, it was 4% of the router's CPU under wrk).
     */
    private static final String[][] HOP_BY_HOP = byLength("connection", "keep-alive", "proxy-connection", "transfer-encoding",
            "te", "trailer", "upgrade", "proxy-authorization", "proxy-authenticate", "host", "content-length");

    private HttpTokens() {}

    /** RFC 9110 6.4.1: an answer to HEAD, and a 204 or 304, has no body whatever its headers say. */
    static boolean bodiless(int status, boolean headRequest) {
        return status == 204 || status == 304 || headRequest;
    }

    static boolean hopByHop(String name) {
        if (name.length() >= HOP_BY_HOP.length) {
            return false;
        }
        for (String candidate : HOP_BY_HOP[name.length()]) {
            if (candidate.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /** As {@link #hopByHop(String)}, for header {@code line} of a parsed head, without a String. */
    static boolean hopByHop(HeadLines head, int line) {
        int length = head.nameLength(line);
        if (length >= HOP_BY_HOP.length) {
            return false;
        }
        for (String candidate : HOP_BY_HOP[length]) {
            if (head.nameIs(line, candidate)) {
                return true;
            }
        }
        return false;
    }

    static boolean isToken(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= 32 || c >= 127 || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    private static String[][] byLength(String... names) {
        int longest = Arrays.stream(names).mapToInt(String::length).max().orElse(0);
        String[][] table = new String[longest + 1][];
        for (int length = 0; length <= longest; length++) {
            int n = length;
            table[length] = Arrays.stream(names).filter(name -> name.length() == n).toArray(String[]::new);
        }
        return table;
    }
}
