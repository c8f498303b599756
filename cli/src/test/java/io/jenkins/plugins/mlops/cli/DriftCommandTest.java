package io.jenkins.plugins.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.mlops.result.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code mlops drift --trigger} against a local HTTP server that behaves like Jenkins' remote
 * API: basic auth with an API token, a CSRF crumb demanded on POST and tied to the session
 * cookie, 201 with the queue item. It records what it received.
 */
class DriftCommandTest {
    private static final String USER = "ci-bot";
    private static final String TOKEN = "11c0ffee5ecret70ken";
    private static final String CRUMB = "crumb-4711";
    private static final String SESSION = "JSESSIONID.abc=node0xyz";

    @TempDir
    static Path dir;

    static Path profile;

    private HttpServer jenkins;
    private final List<String> received = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void profileOfTheTrainingData() {
        profile = dir.resolve("reference-profile.json");
        ChurnProject.Result result = ChurnProject.mlops("profile", "--data",
                ChurnProject.EXAMPLE.resolve("data/reference.csv").toString(), "--out", profile.toString(), "--quiet");
        assertThat(result.code()).as("%s", result).isZero();
    }

    @AfterEach
    void stop() {
        if (jenkins != null) {
            jenkins.stop(0);
        }
    }

    @Test
    void driftStartsTheBuildWithTheCrumbAndTheTokenNeverShows() throws IOException {
        String url = startJenkins(true);

        ChurnProject.Result result = drift("drifted.csv", Map.of("JENKINS_USER_ID", USER, "JENKINS_API_TOKEN", TOKEN),
                "--trigger", url + "/job/churn-train/", "--trigger-param", "REASON=drift", "--report",
                dir.resolve("report").toString());

        assertThat(result.code()).as("%s", result).isEqualTo(ExitCodes.FAILED);
        assertThat(received).containsExactly(
                "POST /job/churn-train/buildWithParameters auth=ok crumb=none cookie=none",
                "GET /crumbIssuer/api/json auth=ok crumb=none cookie=none",
                "POST /job/churn-train/buildWithParameters auth=ok crumb=ok cookie=ok");
        assertThat(lastQuery).contains("REASON=drift", "DRIFTED_COLUMNS=churned%2Cmonthly_charges%2Cpayment_method%2Ctenure_months");
        assertThat(result.out() + result.err()).doesNotContain(TOKEN).contains("/queue/item/42/");
        JsonNode json = Json.mapper().readTree(dir.resolve("report/drift.json").toFile());
        assertThat(json.path("status").asText()).isEqualTo("FAIL");
        assertThat(json.path("trigger").path("status").asInt()).isEqualTo(201);
        assertThat(json.path("trigger").path("used_crumb").asBoolean()).isTrue();
        assertThat(json.toString()).doesNotContain(TOKEN);
    }

    @Test
    void aJenkinsThatNeedsNoCrumbGetsOneRequest() throws IOException {
        String url = startJenkins(false);

        ChurnProject.Result result = drift("drifted.csv", Map.of("JENKINS_USER_ID", USER, "JENKINS_API_TOKEN", TOKEN),
                "--trigger", url + "/job/churn-train");

        assertThat(result.code()).as("%s", result).isEqualTo(ExitCodes.FAILED);
        assertThat(received).containsExactly("POST /job/churn-train/buildWithParameters auth=ok crumb=none cookie=none");
    }

    @Test
    void noDriftTriggersNothing() throws IOException {
        String url = startJenkins(true);

        ChurnProject.Result result = drift("current.csv", Map.of("JENKINS_USER_ID", USER, "JENKINS_API_TOKEN", TOKEN),
                "--trigger", url + "/job/churn-train/");

        assertThat(result.code()).as("%s", result).isEqualTo(ExitCodes.PASSED);
        assertThat(received).isEmpty();
    }

    @Test
    void aWrongTokenIsAnInfrastructureFailureThatDoesNotPrintIt() throws IOException {
        String url = startJenkins(true);
        String wrong = "wrong-70ken-value";

        ChurnProject.Result result = drift("drifted.csv", Map.of("JENKINS_USER_ID", USER, "JENKINS_API_TOKEN", wrong),
                "--trigger", url + "/job/churn-train/");

        assertThat(result.code()).as("%s", result).isEqualTo(ExitCodes.INFRASTRUCTURE);
        assertThat(result.err()).contains("HTTP 401", "JENKINS_API_TOKEN").doesNotContain(wrong);
    }

    @Test
    void missingCredentialsAreBadInputBeforeAnyScan() {
        ChurnProject.Result result = drift("drifted.csv", Map.of(), "--trigger", "http://127.0.0.1:9/job/churn-train/");

        assertThat(result.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(result.err()).contains("JENKINS_USER_ID", "JENKINS_API_TOKEN");
    }

    @Test
    void aTriggerUrlThatIsNoJobIsBadInput() {
        ChurnProject.Result result = drift("drifted.csv", Map.of("JENKINS_USER_ID", USER, "JENKINS_API_TOKEN", TOKEN),
                "--trigger", "http://127.0.0.1:9/view/all/");

        assertThat(result.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(result.err()).contains("not a job URL");
    }

    private volatile String lastQuery = "";

    /** @param crumbRequired whether POSTs need the crumb header and the session cookie the crumb was issued in */
    private String startJenkins(boolean crumbRequired) throws IOException {
        jenkins = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        jenkins.createContext("/", exchange -> {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            boolean authOk = ("Basic " + Base64.getEncoder().encodeToString((USER + ":" + TOKEN)
                    .getBytes(StandardCharsets.UTF_8))).equals(auth);
            String crumb = exchange.getRequestHeaders().getFirst("Jenkins-Crumb");
            String cookie = exchange.getRequestHeaders().getFirst("Cookie");
            received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath()
                    + " auth=" + (authOk ? "ok" : auth == null ? "none" : "wrong")
                    + " crumb=" + (crumb == null ? "none" : CRUMB.equals(crumb) ? "ok" : "wrong")
                    + " cookie=" + (cookie == null ? "none" : cookie.contains(SESSION) ? "ok" : "wrong"));
            if (!authOk) {
                respond(exchange, 401, "Unauthorized");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/crumbIssuer/api/json") && exchange.getRequestMethod().equals("GET")) {
                exchange.getResponseHeaders().add("Set-Cookie", SESSION + "; Path=/; HttpOnly");
                respond(exchange, 200, "{\"_class\":\"hudson.security.csrf.DefaultCrumbIssuer\",\"crumb\":\"" + CRUMB
                        + "\",\"crumbRequestField\":\"Jenkins-Crumb\"}");
                return;
            }
            if (path.equals("/job/churn-train/buildWithParameters") && exchange.getRequestMethod().equals("POST")) {
                boolean crumbOk = CRUMB.equals(crumb) && cookie != null && cookie.contains(SESSION);
                if (crumbRequired && !crumbOk) {
                    respond(exchange, 403, "<html><body>Error 403 No valid crumb was included in the request</body></html>");
                    return;
                }
                lastQuery = exchange.getRequestURI().getRawQuery();
                exchange.getResponseHeaders().add("Location", "http://127.0.0.1/queue/item/42/");
                respond(exchange, 201, "");
                return;
            }
            respond(exchange, 404, "Not found");
        });
        jenkins.start();
        return "http://127.0.0.1:" + jenkins.getAddress().getPort();
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    private static ChurnProject.Result drift(String batch, Map<String, String> environment, String... more) {
        String[] args = new String[4 + more.length];
        args[0] = "drift";
        args[1] = "--reference-profile";
        args[2] = profile.toString();
        args[3] = "--data=" + ChurnProject.EXAMPLE.resolve("data/" + batch);
        System.arraycopy(more, 0, args, 4, more.length);
        return ChurnProject.mlops(environment, args);
    }
}
