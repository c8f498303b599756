package io.jenkins.plugins.mlops.image;

import io.jenkins.plugins.mlops.io.BadInputException;
import java.io.Serializable;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An image name as people write it, {@code HOST[:PORT]/PATH[:TAG][@sha256:HEX]}, read by the
 * grammar of the distribution spec. The registry host is required: an image without one would
 * silently mean Docker Hub, and mlops pushes only where it is told.
 *
 * @param registry host and port, e.g. {@code registry.example.com:5000}
 * @param repository the path inside the registry, e.g. {@code team/churn}
 * @param tag the tag, or null
 * @param digest {@code sha256:...}, or null
 */
public record ImageReference(String registry, String repository, String tag, String digest) implements Serializable {
    private static final Pattern HOST = Pattern.compile("(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*"
            + "(?::[0-9]{1,5})?|\\[[0-9a-fA-F:]+\\](?::[0-9]{1,5})?");
    private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");

    /** Reads {@code text}; {@code what} names the parameter in the message, e.g. {@code image}. */
    public static ImageReference parse(String text, String what) {
        if (text == null || text.isBlank()) {
            throw new BadInputException(what + ": no image name given");
        }
        String rest = text.strip();
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                throw bad(what, text, "the digest after @ must be sha256: and 64 lowercase hex digits");
            }
        }
        int slash = rest.indexOf('/');
        if (slash < 0) {
            throw bad(what, text, "name the registry host first, e.g. registry.example.com/" + rest);
        }
        String registry = rest.substring(0, slash);
        String path = rest.substring(slash + 1);
        if (!HOST.matcher(registry).matches()) {
            throw bad(what, text, "'" + registry + "' is not a registry host[:port]");
        }
        String tag = null;
        int colon = path.lastIndexOf(':');
        if (colon >= 0) {
            tag = path.substring(colon + 1);
            path = path.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw bad(what, text, "the tag '" + tag + "' may hold letters, digits, _ . - only (at most 128)");
            }
        }
        for (String component : path.split("/", -1)) {
            if (!PATH_COMPONENT.matcher(component).matches()) {
                throw bad(what, text, "the repository '" + path + "' must be lowercase letters and digits separated by"
                        + " / . _ or -");
            }
        }
        return new ImageReference(registry.toLowerCase(Locale.ROOT), path, tag, digest);
    }

    private static BadInputException bad(String what, String text, String why) {
        return new BadInputException(what + ": '" + text + "' is not an image name: " + why);
    }

    /** What to ask the registry for: the digest where one is given, else the tag, else {@code latest}. */
    public String manifestReference() {
        return digest != null ? digest : tag != null ? tag : "latest";
    }

    /** The same repository at {@code newDigest}, tag dropped: the name that cannot move. */
    public ImageReference atDigest(String newDigest) {
        return new ImageReference(registry, repository, null, newDigest);
    }

    /**
     * Plain HTTP for a registry on the loopback interface, as Docker and podman treat
     * {@code localhost}; TLS everywhere else.
     */
    public boolean loopback() {
        String host = registry.startsWith("[") ? registry.substring(0, registry.indexOf(']') + 1)
                : registry.contains(":") ? registry.substring(0, registry.indexOf(':')) : registry;
        return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
    }

    @Override
    public String toString() {
        return registry + "/" + repository + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }
}
