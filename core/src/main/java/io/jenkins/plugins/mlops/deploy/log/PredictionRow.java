package io.jenkins.plugins.mlops.deploy.log;

/**
 * One answered request in {@code mlops_predictions}.
 *
 * @param receivedAt epoch milliseconds when the router received the request
 * @param status the HTTP status, 0 when no answer came (refused, reset, timed out)
 * @param request the payload as {@link PayloadMode} keeps it (full text, {@code sha256:<hex>} or null)
 * @param prediction the first numeric prediction of the response, or null
 * @param mirrored true for the shadow's answer to a mirrored copy
 */
public record PredictionRow(String requestId, String variant, long receivedAt, int status, double latencyMs,
        String request, String response, Double prediction, boolean mirrored) implements LogRow {}
