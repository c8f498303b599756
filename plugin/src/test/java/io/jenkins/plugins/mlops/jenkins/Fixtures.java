package io.jenkins.plugins.mlops.jenkins;

import com.sun.net.httpserver.HttpServer;
import hudson.FilePath;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * The data the tests run the steps on: the churn example's real tables (5,000 customers each,
 * {@code examples/churn}) and predictions of two models on one hold-out set.
 */
public final class Fixtures {
    /** The example's data, from the plugin module's directory (where Maven runs the tests). */
    public static final Path CHURN_DATA = Path.of("..", "examples", "churn", "data").toAbsolutePath().normalize();

    private Fixtures() {}

    /** Copies reference.csv, current.csv and drifted.csv into {@code data/} of the workspace. */
    public static void churnData(FilePath workspace) throws IOException, InterruptedException {
        for (String table : new String[] {"reference.csv", "current.csv", "drifted.csv"}) {
            workspace.child("data").child(table).copyFrom(new FilePath(CHURN_DATA.resolve(table).toFile()));
        }
    }

    /**
     * Predictions ({@code id,churned,pred,proba}) of a model that is right with probability
     * {@code accuracy} on the same 600 labelled rows, so that two files pair by id.
     */
    public static void predictions(FilePath file, double accuracy, long seed) throws IOException, InterruptedException {
        Random labels = new Random(1);
        Random model = new Random(seed);
        StringBuilder csv = new StringBuilder("id,churned,pred,proba\n");
        for (int id = 1; id <= 600; id++) {
            int label = labels.nextDouble() < 0.3 ? 1 : 0;
            boolean right = model.nextDouble() < accuracy;
            int pred = right ? label : 1 - label;
            double proba = pred == 1 ? 0.5 + model.nextDouble() / 2 : model.nextDouble() / 2;
            csv.append(String.format(Locale.ROOT, "%d,%d,%d,%.4f%n", id, label, pred, proba));
        }
        file.write(csv.toString(), "UTF-8");
    }

    /** A scoring server on a free loopback port that predicts {@code value} for every request, as MLflow's answers. */
    public static HttpServer modelServer(String value) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/invocations", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = ("{\"predictions\": [" + value + "]}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server;
    }

    public static String url(HttpServer server) {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** {@code requests.jsonl} in the workspace: 200 scoring requests for the routers' replay. */
    public static void requests(FilePath workspace) throws IOException, InterruptedException {
        StringBuilder requests = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            requests.append("{\"dataframe_records\": [{\"tenure_months\": ").append(i % 60).append("}]}\n");
        }
        workspace.child("requests.jsonl").write(requests.toString(), "UTF-8");
    }
}
