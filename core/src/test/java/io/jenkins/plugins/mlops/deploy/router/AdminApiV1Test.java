package io.jenkins.plugins.mlops.deploy.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mlops.TestProcesses;
import io.jenkins.plugins.mlops.deploy.FaultyServer;
import io.jenkins.plugins.mlops.deploy.Http;
import io.jenkins.plugins.mlops.deploy.RemoteTrafficBackend;
import io.jenkins.plugins.mlops.deploy.VariantWindow;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API a step outside the router drives it with ({@code /admin/v1/}), through
 * {@link RouterClient} and as raw HTTP: who may call it, what a refusal says and leaves unchanged,
 * and what a restarted router keeps.
 */
class AdminApiV1Test {
    private static final String BODY = "{\"dataframe_split\": {\"columns\": [\"x\"], \"data\": [[1.0], [2.0]]}}";
    private static final String TOKEN = "v1-admin-token";
    private static final Map<String, String> AUTH = Map.of("Authorization", "Bearer " + TOKEN);

    @TempDir
    Path dir;

    private FaultyServer stable;
    private FaultyServer candidate;
    private FaultyServer shadow;
    private FaultyServer other;

    @BeforeEach
    void upstreams() {
        stable = FaultyServer.start(0.25);
        candidate = FaultyServer.start(0.75);
        shadow = FaultyServer.start(0.5);
        other = FaultyServer.start(0.9);
    }

    @AfterEach
    void stopUpstreams() {
        for (FaultyServer server : List.of(stable, candidate, shadow, other)) {
            server.close();
        }
    }

    private RouterConfig.Builder config() {
        return RouterConfig.builder().listen("127.0.0.1", 0).eventLoops(2).adminToken(TOKEN)
                .stateFile(dir.resolve("state.json")).variant("stable", stable.url()).variant("candidate", candidate.url());
    }

    @Test
    void everyCallWithoutTheTokenOrWithAnotherIs401AndChangesNothing() {
        try (Router router = Router.start(config().build())) {
            for (String resource : List.of("weights", "variants", "mirror", "exchanges", "windows/stable", "stats")) {
                HttpResponse<String> none = Http.get(router.uri(), "/admin/v1/" + resource, Map.of());
                assertThat(none.statusCode()).as(resource).isEqualTo(401);
                assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"mlops-router\"");
                HttpResponse<String> wrong = Http.get(router.uri(), "/admin/v1/" + resource, Map.of("Authorization", "Bearer nope"));
                assertThat(wrong.statusCode()).as(resource).isEqualTo(401);
                assertThat(wrong.body()).doesNotContain(TOKEN);
            }
            assertThat(Http.put(router.uri(), "/admin/v1/mirror", "{\"url\": \"" + shadow.url() + "\"}",
                    Map.of("Authorization", "Bearer nope")).statusCode()).isEqualTo(401);
            assertThat(router.mirrorTarget()).isNull();

            assertThatThrownBy(() -> new RouterClient(router.uri(), "nope").setWeights(Map.of("candidate", 100)))
                    .isInstanceOf(BadInputException.class).hasMessageContaining("401")
                    .hasMessageContaining("refused the admin token").hasMessageNotContaining("nope");
            assertThat(router.weights()).containsEntry("stable", 100);
            assertThatThrownBy(() -> new RouterClient(router.uri(), " ")).isInstanceOf(BadInputException.class)
                    .hasMessageContaining(RouterAccess.TOKEN_ENV);
        }
    }

    @Test
    void badJsonIs400AndAnUnknownVariantOrATargetInUseIs422Or409() {
        try (Router router = Router.start(config().build())) {
            assertThat(Http.put(router.uri(), "/admin/v1/mirror", "{\"url\":", AUTH).statusCode()).isEqualTo(400);
            assertThat(Http.put(router.uri(), "/admin/v1/mirror", "{\"url\": 5}", AUTH).statusCode()).isEqualTo(400);
            assertThat(Http.put(router.uri(), "/admin/v1/mirror", "{\"url\": \"ftp://x\"}", AUTH).statusCode()).isEqualTo(422);
            assertThat(Http.put(router.uri(), "/admin/v1/variants/candidate", "[]", AUTH).statusCode()).isEqualTo(400);

            HttpResponse<String> unknown = Http.put(router.uri(), "/admin/v1/variants/nosuch", "{\"url\": \"" + other.url() + "\"}",
                    AUTH);
            assertThat(unknown.statusCode()).isEqualTo(422);
            assertThat(unknown.body()).contains("no variant 'nosuch'");
            assertThat(Http.get(router.uri(), "/admin/v1/windows/nosuch?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z", AUTH)
                    .statusCode()).isEqualTo(422);
            assertThat(Http.get(router.uri(), "/admin/v1/windows/stable?from=yesterday&to=now", AUTH).statusCode()).isEqualTo(400);
            assertThat(Http.put(router.uri(), "/admin/v1/weights", "{\"weights\": {\"nosuch\": 100}}", AUTH).statusCode())
                    .isEqualTo(422);

            RouterClient client = new RouterClient(router.uri(), TOKEN);
            client.setWeights(Map.of("stable", 80, "candidate", 20));
            assertThatThrownBy(() -> client.pointVariant("candidate", URI.create(other.url())))
                    .isInstanceOf(BadInputException.class).hasMessageContaining("409").hasMessageContaining("20% of the traffic");
            assertThat(router.variants().get("candidate")).isEqualTo(URI.create(candidate.url()));

            client.mirrorTo(URI.create(shadow.url()));
            assertThatThrownBy(() -> client.mirrorTo(URI.create(other.url())))
                    .isInstanceOf(BadInputException.class).hasMessageContaining("409").hasMessageContaining(shadow.url());
            assertThat(client.mirrorTo(URI.create(shadow.url())).url()).as("the same mirror again is no conflict")
                    .isEqualTo(URI.create(shadow.url()));
            assertThat(router.mirrorTarget()).isEqualTo(URI.create(shadow.url()));
        }
    }

    @Test
    void aStepOutsideTheRouterMirrorsReadsTheJournalAndTheWindowsAndMovesTheCandidate() throws Exception {
        try (Router router = Router.start(config().build())) {
            RouterClient client = new RouterClient(router.uri(), TOKEN);
            Instant from = Instant.now();
            Http.post(router.uri(), "/invocations", BODY, Map.of());
            RouterClient.Mirror on = client.mirrorTo(URI.create(shadow.url()));
            for (int i = 0; i < 5; i++) {
                assertThat(Http.post(router.uri(), "/invocations", BODY, Map.of()).statusCode()).isEqualTo(200);
            }
            RouterClient.Mirror off = client.mirrorOff();
            Http.post(router.uri(), "/invocations", BODY, Map.of());
            while (client.mirror().stats().inFlight() > 0) {
                Thread.sleep(10);
            }

            List<ExchangePage.Entry> entries = new ArrayList<>();
            for (ExchangePage page = client.exchanges(on.journal(), 3); !page.exchanges().isEmpty();
                    page = client.exchanges(page.next(), 3)) {
                entries.addAll(page.exchanges());
            }
            assertThat(entries.stream().filter(e -> e.shadow() == null)).as("served while mirroring").hasSize(5);
            assertThat(entries.stream().filter(e -> e.shadow() != null)).as("mirrored").hasSize(5)
                    .allSatisfy(e -> assertThat(new String(e.shadow().response())).contains("0.5"));
            assertThat(off.url()).isNull();
            assertThat(shadow.requests()).isEqualTo(5);
            assertThat(client.mirror().stats().sent()).isEqualTo(5);

            VariantWindow window = client.observe("stable", from, Instant.now().plusSeconds(1));
            assertThat(window.requests()).isEqualTo(7);
            assertThat(window.predictions()).contains(0.25);
            assertThat(client.observe("shadow", from, Instant.now().plusSeconds(1)).requests()).isEqualTo(5);

            client.pointVariant("candidate", URI.create(other.url()));
            RemoteTrafficBackend backend = new RemoteTrafficBackend(client);
            backend.setCandidateWeight(100);
            assertThat(Http.post(router.uri(), "/invocations", BODY, Map.of()).body()).contains("0.9");
            assertThat(backend.candidateWeight()).isEqualTo(100);
            backend.close();
            assertThat(Http.post(router.uri(), "/invocations", BODY, Map.of()).statusCode()).as("it outlives the backend")
                    .isEqualTo(200);
        }
    }

    @Test
    void aRestartedRouterKeepsItsWeightsItsMirrorAndWhereItsVariantsPoint() throws Exception {
        try (Router router = Router.start(config().build())) {
            RouterClient client = new RouterClient(router.uri(), TOKEN);
            client.pointVariant("candidate", URI.create(other.url()));
            client.setWeights(Map.of("stable", 70, "candidate", 30));
            client.mirrorTo(URI.create(shadow.url()));
        }
        try (Router router = Router.start(config().build())) {
            assertThat(router.weights()).isEqualTo(Map.of("stable", 70, "candidate", 30));
            assertThat(router.mirrorTarget()).isEqualTo(URI.create(shadow.url()));
            assertThat(router.variants().get("candidate")).isEqualTo(URI.create(other.url()));
            Http.post(router.uri(), "/invocations", BODY, Map.of());
            assertThat(new RouterClient(router.uri(), TOKEN).mirrorOff().url()).isNull();
        }
        // Turned off through the API, the mirror stays off although the configuration names one.
        try (Router router = Router.start(config().mirror(URI.create(shadow.url())).build())) {
            assertThat(router.mirrorTarget()).isNull();
        }
        assertThat(Files.readString(dir.resolve("state.json"))).contains("\"mirror\" : null").doesNotContain(TOKEN);
    }

    @Test
    void aRouterThatIsNotThereIsAnInfrastructureFailureAfterAFewTries() {
        URI nowhere = URI.create("http://127.0.0.1:" + TestProcesses.freePort());
        assertThatThrownBy(() -> new RouterClient(nowhere, TOKEN).weights()).isInstanceOf(InfrastructureException.class)
                .hasMessageContaining("failed 3 times");
    }
}
