package io.jenkins.plugins.mlops.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mlops.io.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageReferenceTest {

    @Test
    void readsRegistryRepositoryTagAndDigest() {
        String digest = "sha256:" + "ab".repeat(32);
        ImageReference image = ImageReference.parse("Registry.Example.com:5000/team/churn-model:build-42@" + digest, "image");

        assertThat(image.registry()).isEqualTo("registry.example.com:5000");
        assertThat(image.repository()).isEqualTo("team/churn-model");
        assertThat(image.tag()).isEqualTo("build-42");
        assertThat(image.digest()).isEqualTo(digest);
        assertThat(image.manifestReference()).isEqualTo(digest);
        assertThat(image.atDigest(digest)).hasToString("registry.example.com:5000/team/churn-model@" + digest);
        assertThat(image.loopback()).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"localhost:5000/a, true", "127.0.0.1:41234/a:1, true", "[::1]:5000/a, true", "ghcr.io/a/b, false",
        "localhost.example.com/a, false"})
    void speaksPlainHttpOnlyToLoopbackRegistries(String name, boolean loopback) {
        assertThat(ImageReference.parse(name, "image").loopback()).isEqualTo(loopback);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "churn:1 | name the registry host first",
        "registry.example.com/Churn:1 | must be lowercase",
        "registry.example.com/churn:bad/tag | the tag 'bad/tag' may hold",
        "registry.example.com/churn:-x | the tag '-x'",
        "registry.example.com/churn@sha256:1234 | 64 lowercase hex",
        "bad_host/churn | is not a registry host",
        "registry.example.com/churn//x | must be lowercase"})
    void refusesBadNamesSayingWhy(String name, String why) {
        assertThatThrownBy(() -> ImageReference.parse(name, "image")).isInstanceOf(BadInputException.class)
                .hasMessageStartingWith("image: '" + name + "' is not an image name").hasMessageContaining(why);
    }
}
