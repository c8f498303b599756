package io.jenkins.plugins.mlops.deploy.router;

import io.jenkins.plugins.mlops.deploy.VariantWindow;
import io.jenkins.plugins.mlops.deploy.payload.Predictions;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The recent exchanges of each variant, in memory and bounded, so that a rollout's judge reads
 * counts, latencies and predictions of any recent interval without the prediction log.
 *
 * <p>Kept in rings of primitive arrays, not an object per exchange: a deque of 200,000 records,
 * each holding its answer's bytes, was a live set that every young collection copied again
 * (27-42 ms Serial pauses every 1.8 s at 60k req/s, the router's whole p99). Arrays of
 * primitives hold no references, so a collector neither copies nor scans them once they are old.
 */
final class VariantWindows {
    /** Answer bytes kept per variant for predictions parsed on demand: 8 MiB, about 250,000 MLflow answers. */
    static final int BODY_BYTES = 8 << 20;
    /** Parsed predictions kept per variant, when the prediction log parsed them already: 8 MiB of doubles. */
    static final int PREDICTIONS = 1 << 20;

    private final int perVariant;
    private final int bodyBytes;
    private final int predictionCapacity;
    private final Map<String, Ring> byVariant = new ConcurrentHashMap<>();

    VariantWindows(int perVariant) {
        this(perVariant, BODY_BYTES, PREDICTIONS);
    }

    VariantWindows(int perVariant, int bodyBytes, int predictionCapacity) {
        this.perVariant = perVariant;
        this.bodyBytes = bodyBytes;
        this.predictionCapacity = predictionCapacity;
    }

    /** {@code predictions} is a double[] already parsed, or the raw response body (byte[]) to parse on demand, or null. */
    void record(Exchange exchange, Object predictions) {
        Ring ring = byVariant.get(exchange.variant());
        if (ring == null) {
            // Only the first time: computeIfAbsent's capturing lambda was an allocation per request.
            ring = byVariant.computeIfAbsent(exchange.variant(), v -> new Ring(perVariant, bodyBytes, predictionCapacity));
        }
        synchronized (ring) {
            ring.add(exchange.receivedAt(), exchange.latencyMs(), exchange.failed(), predictions);
        }
    }

    /** What one variant's window holds now: observations, and the lengths of its arrays (its memory). */
    record Footprint(int observations, int slots, int bodyBytes, int predictions) {}

    Footprint footprint(String variant) {
        Ring ring = byVariant.get(variant);
        if (ring == null) {
            return new Footprint(0, 0, 0, 0);
        }
        synchronized (ring) {
            return new Footprint((int) Math.min(ring.recorded, ring.at.length), ring.at.length, ring.bodies.length,
                    ring.values.length);
        }
    }

    VariantWindow observe(String variant, Instant from, Instant to) {
        Ring ring = byVariant.get(variant);
        if (ring == null) {
            return new VariantWindow(variant, from, to, 0, 0, new double[0], new double[0]);
        }
        synchronized (ring) {
            return ring.observe(variant, from, to);
        }
    }

    /**
     * One variant's observations, oldest overwritten first. Answer bodies and parsed predictions
     * go into their own byte and double rings, addressed by absolute position: an observation
     * whose bytes were overwritten still counts (latency, errors) but has no predictions. The
     * arrays grow by doubling until their bound, and only before they first wrap, so that an
     * absolute position modulo the length stays where it was written.
     */
    private static final class Ring {
        private static final byte NONE = 0;
        private static final byte BODY = 1;
        private static final byte PARSED = 2;
        private static final int INITIAL = 1024;

        private final int maxSlots;
        private final int maxBodyBytes;
        private final int maxValues;
        private long[] at = new long[0];
        private double[] latency = new double[0];
        private boolean[] failed = new boolean[0];
        private byte[] kind = new byte[0];
        private long[] start = new long[0];
        private int[] length = new int[0];
        private byte[] bodies = new byte[0];
        private double[] values = new double[0];
        private long recorded;
        private long bodyWritten;
        private long valuesWritten;

        Ring(int maxSlots, int maxBodyBytes, int maxValues) {
            this.maxSlots = maxSlots;
            this.maxBodyBytes = maxBodyBytes;
            this.maxValues = maxValues;
        }

        void add(long atMillis, double latencyMs, boolean fail, Object predictions) {
            if (recorded == at.length && at.length < maxSlots) {
                int n = grown(at.length, 1, maxSlots);
                at = Arrays.copyOf(at, n);
                latency = Arrays.copyOf(latency, n);
                failed = Arrays.copyOf(failed, n);
                kind = Arrays.copyOf(kind, n);
                start = Arrays.copyOf(start, n);
                length = Arrays.copyOf(length, n);
            }
            int slot = (int) (recorded++ % at.length);
            at[slot] = atMillis;
            latency[slot] = latencyMs;
            failed[slot] = fail;
            kind[slot] = NONE;
            if (predictions instanceof byte[] body && body.length > 0 && body.length <= maxBodyBytes) {
                if (bodyWritten + body.length > bodies.length && bodies.length < maxBodyBytes) {
                    bodies = Arrays.copyOf(bodies, grown(bodies.length, bodyWritten + body.length, maxBodyBytes));
                }
                kind[slot] = BODY;
                start[slot] = bodyWritten;
                length[slot] = body.length;
                copyIn(body, bodies, bodyWritten);
                bodyWritten += body.length;
            } else if (predictions instanceof double[] parsed && parsed.length > 0 && parsed.length <= maxValues) {
                if (valuesWritten + parsed.length > values.length && values.length < maxValues) {
                    values = Arrays.copyOf(values, grown(values.length, valuesWritten + parsed.length, maxValues));
                }
                kind[slot] = PARSED;
                start[slot] = valuesWritten;
                length[slot] = parsed.length;
                for (int i = 0; i < parsed.length; i++) {
                    values[(int) ((valuesWritten + i) % values.length)] = parsed[i];
                }
                valuesWritten += parsed.length;
            }
        }

        /** The next length: doubled from INITIAL until it holds {@code needed}, at most {@code max}. */
        private static int grown(int current, long needed, int max) {
            long n = Math.max(INITIAL, current);
            while (n < needed) {
                n *= 2;
            }
            return (int) Math.min(max, Math.max(n, (long) current * 2));
        }

        private static void copyIn(byte[] from, byte[] ring, long position) {
            int offset = (int) (position % ring.length);
            int first = Math.min(from.length, ring.length - offset);
            System.arraycopy(from, 0, ring, offset, first);
            System.arraycopy(from, first, ring, 0, from.length - first);
        }

        private double[] predictions(int slot) {
            if (kind[slot] == BODY && start[slot] >= bodyWritten - bodies.length) {
                byte[] body = new byte[length[slot]];
                int offset = (int) (start[slot] % bodies.length);
                int first = Math.min(body.length, bodies.length - offset);
                System.arraycopy(bodies, offset, body, 0, first);
                System.arraycopy(bodies, 0, body, first, body.length - first);
                return Predictions.numericPredictions(body);
            }
            if (kind[slot] == PARSED && start[slot] >= valuesWritten - values.length) {
                double[] parsed = new double[length[slot]];
                for (int i = 0; i < parsed.length; i++) {
                    parsed[i] = values[(int) ((start[slot] + i) % values.length)];
                }
                return parsed;
            }
            return new double[0];
        }

        VariantWindow observe(String variant, Instant from, Instant to) {
            long begin = from.toEpochMilli();
            long end = to.toEpochMilli();
            int kept = (int) Math.min(recorded, at.length);
            long requests = 0;
            long errors = 0;
            double[] latencies = new double[64];
            double[] predictions = new double[64];
            int predictionCount = 0;
            for (long seq = recorded - kept; seq < recorded; seq++) {
                int slot = (int) (seq % at.length);
                if (at[slot] < begin || at[slot] >= end) {
                    continue;
                }
                if (requests == latencies.length) {
                    latencies = Arrays.copyOf(latencies, latencies.length * 2);
                }
                latencies[(int) requests++] = latency[slot];
                if (failed[slot]) {
                    errors++;
                }
                for (double p : predictions(slot)) {
                    if (predictionCount == predictions.length) {
                        predictions = Arrays.copyOf(predictions, predictions.length * 2);
                    }
                    predictions[predictionCount++] = p;
                }
            }
            return new VariantWindow(variant, from, to, requests, errors, Arrays.copyOf(latencies, (int) requests),
                    Arrays.copyOf(predictions, predictionCount));
        }
    }
}
