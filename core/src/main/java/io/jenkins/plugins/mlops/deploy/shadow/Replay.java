package io.jenkins.plugins.mlops.deploy.shadow;

import io.jenkins.plugins.mlops.deploy.traffic.RequestBodies;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Sends recorded request bodies (a JSON-lines file, one body per line) through the router, one
 * after another, as clients would: a bounded way to drive a shadow run in CI or a demo.
 */
final class Replay {
    private Replay() {}

    /** Reads and checks every line first, so a malformed file sends nothing. */
    static List<String> read(Path file) {
        return RequestBodies.read(file, "--replay");
    }

    /** Sends up to {@code limit} bodies (cycling through the file), returns how many got an answer. */
    static long send(URI router, String path, List<String> bodies, long limit) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        long answered = 0;
        for (long i = 0; i < limit; i++) {
            HttpRequest request = HttpRequest.newBuilder(router.resolve(path)).timeout(Duration.ofSeconds(120))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(bodies.get((int) (i % bodies.size())))).build();
            try {
                client.send(request, HttpResponse.BodyHandlers.discarding());
                answered++;
            } catch (IOException e) {
                throw new InfrastructureException("replay: the router at " + router + " did not answer: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return answered;
    }
}
