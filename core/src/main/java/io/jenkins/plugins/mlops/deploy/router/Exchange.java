package io.jenkins.plugins.mlops.deploy.router;

/**
 * One request the router forwarded and what came back.
 *
 * @param receivedAt epoch milliseconds when the router received the request
 * @param status the upstream's HTTP status; 0 when none came (refused, reset, timed out)
 * @param latencyMs from receiving the request to having the whole answer
 * @param request the request body as the client sent it
 * @param response the response body as the upstream sent it (empty when none came)
 * @param mirrored true for the shadow's answer to a mirrored copy
 */
public record Exchange(String requestId, String variant, long receivedAt, int status, double latencyMs, byte[] request,
        byte[] response, boolean mirrored) {

    /** A 5xx, or no answer at all: what counts against a variant's error rate. */
    public boolean failed() {
        return status == 0 || status >= 500;
    }
}
