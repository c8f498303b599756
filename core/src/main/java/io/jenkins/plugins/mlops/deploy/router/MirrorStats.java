package io.jenkins.plugins.mlops.deploy.router;

import java.io.Serializable;

/**
 * What mirroring did: every copy is either sent or dropped, and every sent copy is answered,
 * failed, or still in flight.
 *
 * @param sent copies handed to the shadow
 * @param failed sent copies the shadow answered with a 5xx, refused, or left unanswered past the mirror timeout
 * @param dropped copies not sent because the mirror queue was full (the shadow was too slow)
 * @param inFlight copies sent and not yet answered
 */
public record MirrorStats(long sent, long failed, long dropped, int inFlight) implements Serializable {}
