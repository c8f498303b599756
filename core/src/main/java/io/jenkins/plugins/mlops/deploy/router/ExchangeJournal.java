package io.jenkins.plugins.mlops.deploy.router;

import io.jenkins.plugins.mlops.deploy.router.ExchangePage.Entry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * What the router served while a mirror was on, numbered, for a shadow step that runs outside
 * the router and reads it through the admin API ({@code GET /admin/v1/exchanges?after=N}). Bounded
 * by entries and by the bytes of their bodies: the oldest go first, and a reader that fell behind
 * learns how many it missed.
 */
final class ExchangeJournal implements ExchangeListener {
    private final int maxEntries;
    private final long maxBytes;
    private final BooleanSupplier mirroring;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long bytes;
    private long lastSeq;

    ExchangeJournal(int maxEntries, long maxBytes, BooleanSupplier mirroring) {
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
        this.mirroring = mirroring;
    }

    @Override
    public void onExchange(Exchange exchange) {
        // Only while mirroring: a router without a shadow step keeps no bodies around.
        if (mirroring.getAsBoolean()) {
            add(exchange, null);
        }
    }

    @Override
    public void onMirrored(Exchange primary, Exchange shadow) {
        add(primary, shadow);
    }

    private synchronized void add(Exchange primary, Exchange shadow) {
        Entry entry = new Entry(++lastSeq, primary, shadow);
        entries.addLast(entry);
        bytes += size(entry);
        while (entries.size() > maxEntries || bytes > maxBytes && entries.size() > 1) {
            bytes -= size(entries.removeFirst());
        }
    }

    /** The number of the last entry so far: a reader that starts now reads after it. */
    synchronized long last() {
        return lastSeq;
    }

    /** Up to {@code limit} entries after {@code after}. */
    synchronized ExchangePage after(long after, int limit) {
        long first = entries.isEmpty() ? lastSeq + 1 : entries.peekFirst().seq();
        long missed = Math.max(0, first - after - 1);
        List<Entry> page = new ArrayList<>();
        for (Entry entry : entries) {
            if (entry.seq() > after) {
                if (page.size() == limit) {
                    break;
                }
                page.add(entry);
            }
        }
        long next = page.isEmpty() ? Math.max(after, first - 1) : page.get(page.size() - 1).seq();
        return new ExchangePage(next, missed, page);
    }

    private static long size(Entry entry) {
        return 256 + entry.primary().request().length + entry.primary().response().length
                + (entry.shadow() == null ? 0 : entry.shadow().response().length);
    }
}
