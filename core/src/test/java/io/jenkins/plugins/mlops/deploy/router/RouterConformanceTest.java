package io.jenkins.plugins.mlops.deploy.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.mlops.deploy.FaultyServer;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** RFC 9112 framing the router must refuse rather than guess at, on raw sockets. */
class RouterConformanceTest {
    private static final String BODY = "{\"instances\": [[1]]}";

    private FaultyServer stable;
    private Router router;

    @BeforeEach
    void start() {
        stable = FaultyServer.start(0.25);
        router = Router.start(RouterConfig.builder().listen("127.0.0.1", 0).eventLoops(1).variant("stable", stable.url()).build());
    }

    @AfterEach
    void stop() {
        router.close();
        stable.close();
    }

    private URI uri() {
        return router.uri();
    }

    private static String post(String headers) {
        return "POST /invocations HTTP/1.1\r\n" + headers + "Content-Length: " + BODY.length() + "\r\nConnection: close\r\n\r\n"
                + BODY;
    }

    @Test
    void aWellFormedRequestIsProxied() throws Exception {
        assertThat(RawHttp.exchange(uri(), post("Host: x\r\n"))).startsWith("HTTP/1.1 200").contains("0.25");
        // HTTP/1.0 has no Host requirement.
        assertThat(RawHttp.exchange(uri(), "POST /invocations HTTP/1.0\r\nContent-Length: " + BODY.length() + "\r\n\r\n" + BODY))
                .startsWith("HTTP/1.0 200");
        assertThat(stable.requests()).isEqualTo(2);
    }

    @Test
    void anHttp11RequestWithoutHostOrWithTwoIs400() throws Exception {
        assertThat(RawHttp.exchange(uri(), post(""))).startsWith("HTTP/1.1 400").contains("exactly one Host");
        assertThat(RawHttp.exchange(uri(), post("Host: a\r\nHost: b\r\n"))).startsWith("HTTP/1.1 400").contains("exactly one Host");
        assertThat(stable.requests()).isZero();
    }

    @Test
    void anUnknownTransferEncodingIs501AndWhatFollowsIsNotTakenAsARequest() throws Exception {
        String smuggled = "POST /invocations HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n"
                + "POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Length: " + BODY.length() + "\r\n\r\n" + BODY;
        String answer = RawHttp.exchange(uri(), smuggled);
        assertThat(answer).startsWith("HTTP/1.1 501").contains("Transfer-Encoding");
        assertThat(answer.split("HTTP/1.1 ", -1)).as("one answer only").hasSize(2);
        assertThat(stable.requests()).isZero();

        assertThat(RawHttp.exchange(uri(), "POST /invocations HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
                + "0\r\n\r\n")).startsWith("HTTP/1.1 501");
    }

    @Test
    void anOverflowingChunkSizeIs400() throws Exception {
        String answer = RawHttp.exchange(uri(), "POST /invocations HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "ffffffffffffffffffff1\r\nx\r\n0\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 400").contains("chunk");
        assertThat(stable.requests()).isZero();
    }

    @Test
    void aChunkedRequestIsProxied() throws Exception {
        String answer = RawHttp.exchange(uri(), "POST /invocations HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n" + Integer.toHexString(BODY.length()) + "\r\n" + BODY + "\r\n0\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 200").contains("0.25");
    }

    @Test
    void connectIs405() throws Exception {
        assertThat(RawHttp.exchange(uri(), "CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n"))
                .startsWith("HTTP/1.1 405").contains("Allow:");
        assertThat(stable.requests()).isZero();
    }
}
