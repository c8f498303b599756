package io.jenkins.plugins.mlops.deploy.router;

import io.jenkins.plugins.mlops.io.BadInputException;
import java.io.Serializable;

/**
 * Sends every request whose {@code header} equals {@code value} to {@code variant}, before any
 * weight applies: an A/B arm chosen by the client, or a tester pinning the candidate.
 */
public record HeaderRoute(String header, String value, String variant) implements Serializable {

    public HeaderRoute {
        if (header == null || header.isBlank() || value == null || variant == null || variant.isBlank()) {
            throw new BadInputException("route: give HEADER:VALUE=VARIANT, e.g. X-Arm:b=candidate");
        }
    }

    /** Parses {@code HEADER:VALUE=VARIANT}. */
    public static HeaderRoute parse(String text) {
        int colon = text.indexOf(':');
        int equals = text.lastIndexOf('=');
        if (colon <= 0 || equals <= colon + 1 || equals == text.length() - 1) {
            throw new BadInputException("route '" + text + "': give HEADER:VALUE=VARIANT, e.g. X-Arm:b=candidate");
        }
        return new HeaderRoute(text.substring(0, colon).strip(), text.substring(colon + 1, equals).strip(),
                text.substring(equals + 1).strip());
    }
}
