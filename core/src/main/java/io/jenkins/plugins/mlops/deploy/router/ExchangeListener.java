package io.jenkins.plugins.mlops.deploy.router;

/**
 * Sees what the router served, on the router's recording thread (never on the request path), in
 * the order the answers completed. Used by the shadow comparison.
 */
public interface ExchangeListener {
    /** A request the primary (or a weighted variant) answered, or failed to. */
    default void onExchange(Exchange exchange) {}

    /** The shadow's answer to the mirrored copy of {@code primary}. */
    default void onMirrored(Exchange primary, Exchange shadow) {}
}
