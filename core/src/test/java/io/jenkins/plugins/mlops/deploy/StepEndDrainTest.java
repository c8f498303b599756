package io.jenkins.plugins.mlops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.mlops.deploy.router.Router;
import io.jenkins.plugins.mlops.deploy.router.RouterConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A step that started its own router (the in-process mode) ends gracefully: a client's request
 * that is in flight when the step closes its backend gets its answer, rather than a connection
 * closed under it.
 */
class StepEndDrainTest {
    private static final String BODY = "{\"dataframe_split\": {\"columns\": [\"x\"], \"data\": [[1.0]]}}";

    private FaultyServer stable;
    private FaultyServer candidate;

    @BeforeEach
    void upstreams() {
        stable = FaultyServer.start(0.25);
        candidate = FaultyServer.start(0.75);
    }

    @AfterEach
    void stopUpstreams() {
        stable.close();
        candidate.close();
    }

    @Test
    void theRequestInFlightWhenTheStepEndsIsAnswered() throws Exception {
        stable.delay(1_500);
        EmbeddedTrafficBackend backend = new EmbeddedTrafficBackend(Router.start(RouterConfig.builder().listen("127.0.0.1", 0)
                .eventLoops(1).variant("stable", URI.create(stable.url())).variant("candidate", URI.create(candidate.url()))
                .build()));
        CompletableFuture<HttpResponse<String>> inFlight = HttpClient.newHttpClient().sendAsync(
                HttpRequest.newBuilder(backend.router().uri().resolve("/invocations")).timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.ofString(BODY)).build(), HttpResponse.BodyHandlers.ofString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (stable.requests() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(stable.requests()).as("the request reached the model").isEqualTo(1);

        backend.close();

        HttpResponse<String> answer = inFlight.get(30, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("0.25");
    }
}
