package io.jenkins.plugins.mlops.deploy.router;

import io.jenkins.plugins.mlops.io.BadInputException;
import java.io.Serializable;

/**
 * Keeps one user on one variant: the variant follows from a hash of a header's or a cookie's value
 * (a user id, a session), so a user keeps seeing one model while the weights stay, and a user
 * moved to the candidate stays there as its weight grows.
 */
public record Stickiness(Source source, String name) implements Serializable {
    public enum Source { HEADER, COOKIE }

    public Stickiness {
        if (source == null || name == null || name.isBlank()) {
            throw new BadInputException("sticky: give a header or cookie name");
        }
    }

    public static Stickiness header(String name) {
        return new Stickiness(Source.HEADER, name);
    }

    public static Stickiness cookie(String name) {
        return new Stickiness(Source.COOKIE, name);
    }
}
