package io.jenkins.plugins.mlops.jenkins;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretMaskerTest {
    @Test
    void masksEveryOccurrenceAndTheLongerSecretWhole() {
        SecretMasker masker = new SecretMasker(List.of("abc", "abcdef"));
        assertThat(masker.mask("token abcdef then abc, again abcdef"), is("token **** then ****, again ****"));
    }

    @Test
    void ignoresEmptyAndNullSecrets() {
        SecretMasker masker = new SecretMasker(Arrays.asList("", null));
        assertThat(masker.mask("nothing to hide"), is("nothing to hide"));
    }
}
