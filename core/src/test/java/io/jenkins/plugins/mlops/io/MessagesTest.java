package io.jenkins.plugins.mlops.io;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MessagesTest {
    @Test
    void keepsOnlyTheFirstLineOfALongMessage() {
        assertThat(Messages.firstLine("  Binder Error: column \"x\" not found\nCandidate bindings: \"y\"\n  file = a.csv\n"))
                .isEqualTo("Binder Error: column \"x\" not found");
    }

    @Test
    void namesAMissingMessageInsteadOfPrintingNull() {
        assertThat(Messages.firstLine(null)).isEqualTo("unknown error");
        assertThat(Messages.firstLine(" \n ")).isEqualTo("unknown error");
    }
}
