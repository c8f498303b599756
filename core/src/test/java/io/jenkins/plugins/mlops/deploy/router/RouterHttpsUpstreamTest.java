package io.jenkins.plugins.mlops.deploy.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mlops.TestProcesses;
import io.jenkins.plugins.mlops.deploy.ModelServer;
import io.jenkins.plugins.mlops.io.BadInputException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Model servers behind TLS, as users run them behind a gateway or an ingress: a real nginx
 * {@code ssl} server in front of MLflow's scoring server, with a CA made here by openssl. The
 * router's front must speak TLS to it with SNI and hostname verification, trust the JVM's store
 * plus the CA file it is given, and turn a certificate it cannot trust into a 502 that says why.
 */
class RouterHttpsUpstreamTest {
    /** A bound on every exchange, so a hang fails the test instead of stalling it; not a speed expectation. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    static Path dir;

    static ModelServer model;
    static Process nginx;
    /** The gateway: a certificate for localhost, chosen by SNI; without SNI it answers with one for another name. */
    static int gateway;
    /** A self-signed certificate for localhost, not from the CA. */
    static int selfSigned;
    /** A certificate from the CA, for another name only. */
    static int otherName;
    static Path ca;
    static List<String> bodies;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void serveBehindTls() throws Exception {
        ModelServer.saveModels(dir);
        bodies = Files.readAllLines(dir.resolve("requests.jsonl"));
        model = ModelServer.serve(dir.resolve("primary"));
        ca = dir.resolve("ca.pem");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=mlops test CA",
                "-keyout", "ca.key", "-out", "ca.pem");
        signed("localhost");
        signed("other.invalid");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost", "-keyout", "self.key", "-out", "self.pem");
        gateway = TestProcesses.freePort();
        selfSigned = TestProcesses.freePort();
        otherName = TestProcesses.freePort();
        String proxy = "location / { proxy_pass " + model.url() + "; proxy_http_version 1.1; proxy_set_header Connection \"\"; }";
        String conf = "error_log " + dir.resolve("nginx-error.log") + " warn;\npid " + dir.resolve("nginx.pid") + ";\n"
                + "events { worker_connections 256; }\nhttp {\n  access_log off;\n"
                + "  client_body_temp_path " + dir + "; proxy_temp_path " + dir + "; fastcgi_temp_path " + dir
                + "; uwsgi_temp_path " + dir + "; scgi_temp_path " + dir + ";\n"
                + server(gateway, "default_server", "other.invalid", proxy)
                + server(gateway, "", "localhost", proxy)
                + server(selfSigned, "", "self", proxy)
                + server(otherName, "", "other.invalid", proxy) + "}\n";
        Files.writeString(dir.resolve("nginx.conf"), conf);
        Files.createDirectories(dir.resolve("logs")); // nginx opens its default error log there before it reads the configuration
        Path log = dir.resolve("nginx.log");
        nginx = new ProcessBuilder("nginx", "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(), "-g", "daemon off;")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        TestProcesses.awaitReady(nginx, log, () -> listening(gateway) && listening(selfSigned) && listening(otherName), "nginx",
                Duration.ofSeconds(60));
    }

    private static String server(int port, String flag, String certificate, String proxy) {
        String name = certificate.equals("self") ? "localhost" : certificate;
        return "  server { listen 127.0.0.1:" + port + " ssl " + flag + "; server_name " + name + ";\n"
                + "    ssl_certificate " + dir.resolve(certificate + ".pem") + "; ssl_certificate_key "
                + dir.resolve(certificate + ".key") + ";\n    " + proxy + " }\n";
    }

    /** A key and a certificate for {@code name} (its only subject alternative name), signed by the test CA. */
    private static void signed(String name) throws Exception {
        Files.writeString(dir.resolve(name + ".ext"), "subjectAltName=DNS:" + name + "\n");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + name, "-keyout", name + ".key", "-out", name + ".csr");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
                "-extfile", name + ".ext", "-out", name + ".pem");
    }

    private static void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0).as("openssl %s:%n%s", command, output).isTrue();
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @AfterAll
    static void stop() {
        try {
            if (nginx != null) {
                TestProcesses.stopTree(nginx, "nginx");
            }
        } finally {
            if (model != null) {
                model.close();
            }
        }
    }

    private static Router router(String upstream, Path caFile) {
        return Router.start(RouterConfig.builder().listen("127.0.0.1", 0).eventLoops(1).variant("primary", upstream)
                .upstreamCa(caFile).build());
    }

    private HttpResponse<String> post(Router router, String body, boolean chunked) throws Exception {
        HttpRequest.BodyPublisher publisher = chunked
                ? HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)))
                : HttpRequest.BodyPublishers.ofString(body);
        return http.send(HttpRequest.newBuilder(router.uri().resolve("/invocations")).timeout(PATIENCE)
                .header("Content-Type", "application/json").POST(publisher).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersThroughATlsGatewayEqualThoseOfThePlainPathOnBothOfTheRoutersPaths() throws Exception {
        try (Router tls = router("https://localhost:" + gateway, ca); Router plain = router(model.url(), null)) {
            for (String body : bodies) {
                HttpResponse<String> expected = post(plain, body, false);
                assertThat(expected.statusCode()).isEqualTo(200);
                for (boolean chunked : new boolean[] {false, true}) {
                    // Chunked: handed to the Vert.x server behind the front, whose client speaks TLS too.
                    HttpResponse<String> answer = post(tls, body, chunked);
                    assertThat(answer.statusCode()).as("chunked=%s: %s", chunked, answer.body()).isEqualTo(200);
                    assertThat(answer.body()).as("chunked=%s", chunked).isEqualTo(expected.body());
                }
            }
        }
    }

    /**
     * A shadow behind the TLS gateway: each copy goes out over TLS with the router's trust (the front's
     * own shadow connection for plain requests, Vert.x's client for chunked ones) and none fails;
     * one the router cannot trust fails every copy and changes no client's answer.
     */
    @ParameterizedTest(name = "shadow trusted: {0}")
    @CsvSource({"true", "false"})
    void aShadowBehindTlsIsMirroredWithTheRoutersTrust(boolean trusted) throws Exception {
        RouterConfig config = RouterConfig.builder().listen("127.0.0.1", 0).eventLoops(1).variant("primary", model.url())
                .mirror(java.net.URI.create("https://localhost:" + (trusted ? gateway : selfSigned))).upstreamCa(ca).build();
        try (Router router = Router.start(config)) {
            int sent = 0;
            for (String body : bodies.subList(0, Math.min(5, bodies.size()))) {
                for (boolean chunked : new boolean[] {false, true}) {
                    HttpResponse<String> answer = post(router, body, chunked);
                    assertThat(answer.statusCode()).as("chunked=%s: %s", chunked, answer.body()).isEqualTo(200);
                    sent++;
                }
            }
            assertThat(router.awaitQuiet(PATIENCE)).isTrue();
            MirrorStats mirror = router.mirrorStats();
            assertThat(mirror.sent()).isEqualTo(sent);
            assertThat(mirror.dropped()).isZero();
            assertThat(mirror.failed()).isEqualTo(trusted ? 0 : sent);
        }
    }

    /**
     * The gateway's CA without the CA file (the JVM's store alone), a self-signed certificate, and one
     * from the CA for another name: each a 502 that says why, on both paths, and the router serves on.
     */
    @ParameterizedTest(name = "{0}, CA file {1}")
    @CsvSource({"gateway, false, certification path", "selfSigned, true, certification path",
        "otherName, true, subject alternative"})
    void aCertificateTheRouterCannotTrustIsA502ThatSaysWhy(String server, boolean caFile, String why) throws Exception {
        int port = switch (server) {
            case "gateway" -> gateway;
            case "selfSigned" -> selfSigned;
            default -> otherName;
        };
        try (Router router = router("https://localhost:" + port, caFile ? ca : null)) {
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> answer = post(router, bodies.get(0), false);
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(502);
                assertThat(answer.body()).contains("TLS handshake with localhost:" + port + " failed").containsIgnoringCase(why);
            }
            HttpResponse<String> spliced = post(router, bodies.get(0), true);
            assertThat(spliced.statusCode()).as("the Vert.x path: %s", spliced.body()).isEqualTo(502);
            assertThat(spliced.body()).containsIgnoringCase(why);
        }
    }

    @Test
    void aCaFileThatHoldsNoCertificateIsBadInput() throws Exception {
        Path notPem = Files.writeString(dir.resolve("not.pem"), "not a certificate\n");
        assertThatThrownBy(() -> router("https://localhost:" + gateway, notPem)).isInstanceOf(BadInputException.class)
                .hasMessageContaining(notPem.toString());
        assertThatThrownBy(() -> router("https://localhost:" + gateway, dir.resolve("missing.pem")))
                .isInstanceOf(BadInputException.class).hasMessageContaining("cannot be read");
    }
}
