package io.jenkins.plugins.mlops.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import io.jenkins.plugins.mlops.result.Json;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Starts a Jenkins build through its remote API: {@code POST JOB/buildWithParameters} with a
 * user and API token (HTTP basic). When Jenkins answers 403 for want of a CSRF crumb (older
 * versions, or a crumb issuer that wants one for tokens too), the crumb is fetched from
 * {@code /crumbIssuer/api/json} in the same session (its cookie kept) and the request repeated.
 * The token never appears in a message.
 */
public final class JenkinsTrigger {
    /** The variables the Jenkins CLI reads the same credentials from. */
    public static final String USER_VARIABLE = "JENKINS_USER_ID";
    public static final String TOKEN_VARIABLE = "JENKINS_API_TOKEN";

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;
    private final URI endpoint;
    private final String user;
    private final String token;

    /**
     * What Jenkins answered.
     *
     * @param status the HTTP status (201: queued)
     * @param queueItem the queue item's URL from the Location header, or null
     * @param usedCrumb whether a crumb was needed
     */
    public record Outcome(String url, int status, String queueItem, boolean usedCrumb) {}

    /**
     * Checks the job URL and the credentials now, so that a command refuses them before it
     * reads any data.
     *
     * @param jobUrl the job's URL ({@code https://ci.example.com/job/churn/}), or its
     *     {@code buildWithParameters} / {@code build} URL
     */
    public JenkinsTrigger(String jobUrl, String user, String token) {
        this.endpoint = endpoint(jobUrl);
        if (user == null || user.isBlank() || token == null || token.isBlank()) {
            throw new BadInputException("--trigger needs " + USER_VARIABLE + " and " + TOKEN_VARIABLE
                    + " in the environment (a Jenkins user and one of its API tokens)");
        }
        this.user = user;
        this.token = token;
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public static JenkinsTrigger fromEnvironment(String jobUrl, Map<String, String> environment) {
        return new JenkinsTrigger(jobUrl, environment.get(USER_VARIABLE), environment.get(TOKEN_VARIABLE));
    }

    /** @param parameters build parameters, e.g. {@code REASON=drift} */
    public Outcome trigger(Map<String, String> parameters) {
        String query = parameters.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue())).collect(Collectors.joining("&"));
        URI target = query.isEmpty() ? endpoint : URI.create(endpoint + "?" + query);
        HttpResponse<String> response = post(target, null);
        boolean usedCrumb = false;
        if (response.statusCode() == 403 && response.body() != null && response.body().toLowerCase().contains("crumb")) {
            String[] crumb = crumb(endpoint);
            response = post(target, crumb);
            usedCrumb = true;
        }
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            throw new InfrastructureException("Jenkins refused the trigger (HTTP " + status + ") at " + safe(endpoint)
                    + ": check " + USER_VARIABLE + ", " + TOKEN_VARIABLE + " and the user's Job/Build permission");
        }
        if (status == 404) {
            throw new BadInputException("--trigger " + safe(endpoint) + ": no such job (HTTP 404)");
        }
        if (status < 200 || status >= 300) {
            throw new InfrastructureException("Jenkins answered HTTP " + status + " to the trigger at " + safe(endpoint));
        }
        return new Outcome(safe(endpoint), status, response.headers().firstValue("Location").orElse(null), usedCrumb);
    }

    private HttpResponse<String> post(URI target, String[] crumb) {
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(TIMEOUT)
                .header("Authorization", basic()).POST(HttpRequest.BodyPublishers.noBody());
        if (crumb != null) {
            request.header(crumb[0], crumb[1]);
        }
        return send(request.build(), target);
    }

    /** The crumb header name and value, from the crumb issuer at the Jenkins root of {@code endpoint}. */
    private String[] crumb(URI endpoint) {
        URI issuer = root(endpoint).resolve("crumbIssuer/api/json");
        HttpResponse<String> response = send(HttpRequest.newBuilder(issuer).timeout(TIMEOUT)
                .header("Authorization", basic()).GET().build(), issuer);
        if (response.statusCode() != 200) {
            throw new InfrastructureException("Jenkins asked for a CSRF crumb but " + safe(issuer) + " answered HTTP "
                    + response.statusCode());
        }
        try {
            JsonNode json = Json.mapper().readTree(response.body());
            String field = json.path("crumbRequestField").asText("");
            String value = json.path("crumb").asText("");
            if (field.isEmpty() || value.isEmpty()) {
                throw new InfrastructureException(safe(issuer) + " answered without crumbRequestField and crumb");
            }
            return new String[] {field, value};
        } catch (IOException e) {
            throw new InfrastructureException(safe(issuer) + " answered something that is not JSON", e);
        }
    }

    private HttpResponse<String> send(HttpRequest request, URI target) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new InfrastructureException("cannot reach Jenkins at " + safe(target) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InfrastructureException("interrupted while triggering " + safe(target), e);
        }
    }

    private String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + token).getBytes(StandardCharsets.UTF_8));
    }

    static URI endpoint(String jobUrl) {
        URI uri;
        try {
            uri = URI.create(jobUrl.strip());
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--trigger: not a URL: " + e.getMessage());
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null) {
            throw new BadInputException("--trigger: expected the job's http(s) URL, e.g. https://ci.example.com/job/churn/");
        }
        if (uri.getUserInfo() != null) {
            throw new BadInputException("--trigger: put no credentials in the URL; use " + USER_VARIABLE + " and "
                    + TOKEN_VARIABLE);
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        if (!path.contains("/job/")) {
            throw new BadInputException("--trigger " + uri + ": not a job URL (no /job/ in its path)");
        }
        if (path.endsWith("/buildWithParameters") || path.endsWith("/build")) {
            return uri;
        }
        return URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + (path.endsWith("/") ? path : path + "/")
                + "buildWithParameters");
    }

    /** Jenkins' root: everything before the first {@code /job/} (Jenkins may live under a context path). */
    private static URI root(URI endpoint) {
        String path = endpoint.getPath();
        return URI.create(endpoint.getScheme() + "://" + endpoint.getRawAuthority() + path.substring(0, path.indexOf("/job/") + 1));
    }

    /** A URL for messages: no query (parameters may carry values the user did not mean to print). */
    private static String safe(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
