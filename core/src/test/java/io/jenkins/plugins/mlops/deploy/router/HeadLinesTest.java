package io.jenkins.plugins.mlops.deploy.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Connection's tokens are found in place, in any case, between commas and blanks, and only whole. */
class HeadLinesTest {
    private static HeadLines parsed(String connection) {
        ByteBuf buffer = Unpooled.copiedBuffer("GET / HTTP/1.1\r\nHost: a\r\nConnection:" + connection + "\r\n\r\n",
                StandardCharsets.ISO_8859_1);
        HeadLines head = new HeadLines();
        assertThat(head.parse(buffer, 8192)).isEqualTo(1);
        return head;
    }

    private static boolean has(String connection, String token) {
        HeadLines head = parsed(connection);
        return head.valueHas(head.find("connection", 0), token);
    }

    @Test
    void aTokenIsFoundAnywhereInTheListAndOnlyWhole() {
        assertThat(has(" close", "close")).isTrue();
        assertThat(has(" Keep-Alive,\tCLOSE ", "close")).isTrue();
        assertThat(has(" keep-alive , close", "keep-alive")).isTrue();
        assertThat(has(" te,,close,", "close")).isTrue();
        assertThat(has(" closed, enclose", "close")).isFalse();
        assertThat(has(" keep-alive", "close")).isFalse();
        assertThat(has(" ,", "close")).isFalse();
    }
}
