package io.jenkins.plugins.mlops.deploy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small model server that misbehaves on demand, for the faults a real MLflow server will not
 * produce when asked: 5xx answers, hangs, slowness, huge answers, death ({@link #close()}). In {@link Mode#OK}
 * it answers {@code {"predictions": [v, v, ...]}}, one constant value per request row.
 */
public final class FaultyServer implements AutoCloseable {
    /** HUGE: {@link #huge(long, boolean)} bytes, written as the client takes them, never held whole. */
    public enum Mode { OK, ERROR, HANG, HUGE }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final double prediction;
    private final List<String> requestIds = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile Mode mode = Mode.OK;
    private volatile long delayMillis;
    private volatile long hugeBytes;
    private volatile boolean hugeChunked;
    private final AtomicLong written = new AtomicLong();

    private FaultyServer(double prediction) throws IOException {
        this.prediction = prediction;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A server that predicts {@code prediction} for every row. */
    public static FaultyServer start(double prediction) {
        try {
            return new FaultyServer(prediction);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public FaultyServer mode(Mode next) {
        this.mode = next;
        return this;
    }

    public FaultyServer delay(long millis) {
        this.delayMillis = millis;
        return this;
    }

    /** Answers every request with {@code bytes} bytes, with a Content-Length or (when {@code chunked}) without. */
    public FaultyServer huge(long bytes, boolean chunked) {
        this.hugeBytes = bytes;
        this.hugeChunked = chunked;
        return mode(Mode.HUGE);
    }

    /** Bytes of huge answers written so far: what the client side (the router) took. */
    public long written() {
        return written.get();
    }

    public int requests() {
        return requests.get();
    }

    /** The X-Request-Id of every request received, in arrival order. */
    public List<String> requestIds() {
        return requestIds;
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        requests.incrementAndGet();
        requestIds.add(String.valueOf(exchange.getRequestHeaders().getFirst("X-Request-Id")));
        try {
            if (mode == Mode.HANG) {
                Thread.sleep(60_000);
            }
            if (delayMillis > 0) {
                Thread.sleep(delayMillis);
            }
        } catch (InterruptedException e) {
            exchange.close();
            return;
        }
        if (mode == Mode.HUGE) {
            replyHuge(exchange);
            return;
        }
        if (mode == Mode.ERROR) {
            reply(exchange, 503, "{\"error_code\": \"INJECTED\", \"message\": \"injected failure\"}");
            return;
        }
        int rows = Math.max(1, countRows(new String(body, StandardCharsets.UTF_8)));
        StringBuilder json = new StringBuilder("{\"predictions\": [");
        for (int i = 0; i < rows; i++) {
            json.append(i == 0 ? "" : ", ").append(prediction);
        }
        reply(exchange, 200, json.append("]}").toString());
    }

    /** Rows of a dataframe_split body: the number of '[' after "data", minus the outer one. */
    private static int countRows(String body) {
        int data = body.indexOf("\"data\"");
        if (data < 0) {
            return 1;
        }
        int rows = -1;
        for (int i = data; i < body.length(); i++) {
            if (body.charAt(i) == '[') {
                rows++;
            }
        }
        return rows;
    }

    private static void reply(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private void replyHuge(HttpExchange exchange) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) ' ');
        exchange.sendResponseHeaders(200, hugeChunked ? 0 : hugeBytes);
        try (OutputStream out = exchange.getResponseBody()) {
            for (long left = hugeBytes; left > 0; left -= chunk.length) {
                int n = (int) Math.min(chunk.length, left);
                out.write(chunk, 0, n);
                written.addAndGet(n);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
