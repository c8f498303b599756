package io.jenkins.plugins.mlops.packaging;

import io.jenkins.plugins.mlops.image.ImageReference;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.registry.ModelVersion;

/**
 * The link between a model version and its image: {@code mlops package} writes the image's
 * digest on the version, and a deploy takes only an image that the version names. This is the
 * check {@code deployModel} runs before it creates anything: an image built from another model,
 * or rebuilt since, is refused.
 */
public final class ImageDigests {
    /** The version tag holding {@code REGISTRY/REPOSITORY@sha256:...}. */
    public static final String VERSION_TAG = "mlops.image";

    private ImageDigests() {}

    /**
     * Returns the image pinned to the digest the version names; throws when {@code image} carries
     * another digest, names another repository, or the version names no image.
     */
    public static ImageReference requireNamedBy(ModelVersion version, String image) {
        ImageReference wanted = ImageReference.parse(image, "image");
        String recorded = version.tags().get(VERSION_TAG);
        String what = "model " + version.name() + " version " + version.version();
        if (recorded == null) {
            throw new BadInputException(what + " names no image (no " + VERSION_TAG + " tag): package it with mlops package"
                    + " first");
        }
        ImageReference named = ImageReference.parse(recorded, VERSION_TAG);
        if (!named.registry().equals(wanted.registry()) || !named.repository().equals(wanted.repository())) {
            throw new BadInputException("image " + wanted + " is not the image of " + what + ", which is " + named);
        }
        if (wanted.digest() != null && !wanted.digest().equals(named.digest())) {
            throw new BadInputException("image " + wanted + " has digest " + wanted.digest() + ", but " + what
                    + " names " + named.digest() + ": refusing an image the registry version does not name");
        }
        return named;
    }
}
