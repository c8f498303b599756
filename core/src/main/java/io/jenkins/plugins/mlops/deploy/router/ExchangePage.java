package io.jenkins.plugins.mlops.deploy.router;

import java.util.List;

/**
 * A page of the router's exchange journal ({@code GET /admin/v1/exchanges}), what a shadow step
 * outside the router compares.
 *
 * @param next the cursor to ask after next time
 * @param missed entries the journal dropped before they were asked for (the reader fell behind)
 * @param exchanges in the order the router recorded them
 */
public record ExchangePage(long next, long missed, List<Entry> exchanges) {

    public ExchangePage {
        exchanges = exchanges == null ? List.of() : List.copyOf(exchanges);
    }

    /** A request a variant answered ({@code shadow} null), or the shadow's answer to the copy of {@code primary}. */
    public record Entry(long seq, Exchange primary, Exchange shadow) {

        /** Hands the entry to {@code listener} as the router would have in the same process. */
        public void replay(ExchangeListener listener) {
            if (shadow == null) {
                listener.onExchange(primary);
            } else {
                listener.onMirrored(primary, shadow);
            }
        }
    }
}
