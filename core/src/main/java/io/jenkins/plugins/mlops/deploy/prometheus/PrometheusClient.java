package io.jenkins.plugins.mlops.deploy.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Prometheus HTTP API ({@code /api/v1/query}, {@code /api/v1/query_range}), bounded: one
 * deadline covers connecting, waiting and reading, and an answer larger than the size limit is
 * refused rather than held in memory. A query Prometheus rejects ({@code bad_data}) is the user's
 * input; anything else that goes wrong is infrastructure.
 */
public final class PrometheusClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final URI base;
    private final Duration deadline;
    private final long maxBytes;
    private final HttpClient http;

    public PrometheusClient(URI base, Duration deadline, long maxBytes) {
        this.base = URI.create(base.toString().replaceAll("/+$", "") + "/");
        this.deadline = deadline;
        this.maxBytes = maxBytes;
        this.http = HttpClient.newBuilder().connectTimeout(deadline).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** One time series of a result: its labels as text and its samples (one for an instant query). */
    public record Series(String labels, double[] timestamps, double[] values) {}

    /** An instant query at {@code time}. */
    public List<Series> query(String promql, Instant time) {
        return get("api/v1/query", "query=" + encode(promql) + "&time=" + seconds(time));
    }

    /** A range query over {@code [start, end]} every {@code step}. */
    public List<Series> queryRange(String promql, Instant start, Instant end, Duration step) {
        return get("api/v1/query_range", "query=" + encode(promql) + "&start=" + seconds(start) + "&end=" + seconds(end)
                + "&step=" + String.format(Locale.ROOT, "%.3f", Math.max(0.001, step.toMillis() / 1000.0)));
    }

    /** Where this client reads from, for messages. */
    public URI base() {
        return base;
    }

    private List<Series> get(String path, String parameters) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path + "?" + parameters))
                .timeout(deadline).header("Accept", "application/json").GET().build();
        CompletableFuture<HttpResponse<InputStream>> future = http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        try {
            HttpResponse<InputStream> response = future.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            }
            if (body.length > maxBytes) {
                throw new InfrastructureException("Prometheus at " + base + " answered more than " + maxBytes + " bytes to " + path);
            }
            return parse(response.statusCode(), body, path);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new InfrastructureException("Prometheus at " + base + " did not answer within " + deadline.toMillis() + " ms", e);
        } catch (ExecutionException | IOException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new InfrastructureException("cannot reach Prometheus at " + base + ": " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InfrastructureException("interrupted while querying Prometheus", e);
        }
    }

    private List<Series> parse(int status, byte[] body, String path) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new InfrastructureException("Prometheus at " + base + " answered " + status + " with something that is not JSON");
        }
        if (root == null || !"success".equals(root.path("status").asText())) {
            String type = root == null ? "" : root.path("errorType").asText();
            String error = root == null ? "HTTP " + status : root.path("error").asText("HTTP " + status);
            if ("bad_data".equals(type)) {
                throw new BadInputException("Prometheus refused the query: " + error);
            }
            throw new InfrastructureException("Prometheus at " + base + " failed " + path + ": " + error);
        }
        JsonNode data = root.path("data");
        String resultType = data.path("resultType").asText();
        List<Series> series = new ArrayList<>();
        if (resultType.equals("scalar")) {
            series.add(series("{}", List.of(data.path("result"))));
            return series;
        }
        for (JsonNode item : data.path("result")) {
            List<JsonNode> samples = new ArrayList<>();
            if (item.has("value")) {
                samples.add(item.get("value"));
            }
            item.path("values").forEach(samples::add);
            series.add(series(item.path("metric").toString(), samples));
        }
        return series;
    }

    private static Series series(String labels, List<JsonNode> samples) {
        double[] timestamps = new double[samples.size()];
        double[] values = new double[samples.size()];
        for (int i = 0; i < samples.size(); i++) {
            timestamps[i] = samples.get(i).path(0).asDouble();
            values[i] = value(samples.get(i).path(1).asText());
        }
        return new Series(labels, timestamps, values);
    }

    /** Prometheus spells special values as strings: NaN, +Inf, -Inf. */
    private static double value(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String seconds(Instant time) {
        return String.format(Locale.ROOT, "%.3f", time.toEpochMilli() / 1000.0);
    }
}
