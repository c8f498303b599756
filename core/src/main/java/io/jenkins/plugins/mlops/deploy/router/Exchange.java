package io.jenkins.plugins.mlops.deploy.router;

/**
 * One request the router forwarded and what came back.
 *
 * @param receivedAt epoch milliseconds when the router received the request
 * @param status the upstream's HTTP status; 0 when none came (refused, reset, timed out)
 * @param latencyMs from receiving the request to having the whole answer
 * @param request the request body as the client sent it
 * @param response the response body as the upstream sent it (empty when none came), at most its first
 *     {@link #KEPT_BYTES} bytes: longer answers are streamed to the client, not held
 * @param responseLength the whole response body's length in bytes
 * @param mirrored true for the shadow's answer to a mirrored copy
 */
public record Exchange(String requestId, String variant, long receivedAt, int status, double latencyMs, byte[] request,
        byte[] response, long responseLength, boolean mirrored) {
    /** How much of an answer the router keeps for the windows, the log and the listeners: 64 KiB. */
    public static final int KEPT_BYTES = 64 * 1024;

    /** Only the start of a longer answer was kept: it has no predictions and the log does not store it. */
    public boolean truncated() {
        return responseLength > response.length;
    }

    /** A 5xx, or no answer at all: what counts against a variant's error rate. */
    public boolean failed() {
        return status == 0 || status >= 500;
    }
}
