package io.jenkins.plugins.mlops.data;

import static org.assertj.core.api.Assertions.fail;

import io.jenkins.plugins.mlops.TestEnvironment;
import io.jenkins.plugins.mlops.TestProcesses;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real Spark Connect server from the test venv's pinned PySpark (requirements-test.txt), which
 * ships Spark and the Connect server's jar: {@code local[2]} on a free loopback port, the driver's
 * heap bounded, its log in a temp file. One per JVM ({@link #shared()}), stopped when the JVM
 * exits, since a start costs about 10 s of a busy CI machine's two cores; a benchmark can start
 * its own with {@link #start}. A server that cannot start fails the test, never skips it.
 */
public final class SparkConnectServer implements AutoCloseable {
    /** Connect's "server started" line; waiting for it, not for time, says the port is open. */
    private static final String STARTED = "Spark Connect server started at";
    /** Only to stop a hang: a cold start takes 10 s on an idle machine, several times that on a busy one. */
    private static final long START_DEADLINE_SECONDS = 240;

    private static SparkConnectServer shared;

    private final Process process;
    private final Path log;
    private final int port;

    private SparkConnectServer(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** The JVM's one server, started on first use. */
    public static synchronized SparkConnectServer shared() {
        if (shared == null) {
            shared = start("1g");
            SparkConnectServer server = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "stop spark connect"));
        }
        return shared;
    }

    /** @param driverMemory the driver's heap, e.g. {@code 1g}: in local mode the executors run inside it */
    public static SparkConnectServer start(String driverMemory) {
        return start("local[2]", driverMemory);
    }

    /**
     * @param master Spark's master, e.g. {@code local[2]} (the tests') or {@code local[4]} for a benchmark
     * @param driverMemory the driver's heap, e.g. {@code 1g}: in local mode the executors run inside it
     */
    public static SparkConnectServer start(String master, String driverMemory) {
        Path python = TestEnvironment.python("pyspark");
        try {
            Path sparkHome = sparkHome(python);
            int port = TestProcesses.freePort();
            Path log = Files.createTempFile("mlops-spark-connect", ".log");
            ProcessBuilder builder = new ProcessBuilder(sparkHome.resolve("bin/spark-submit").toString(),
                    "--master", master, "--driver-memory", driverMemory,
                    "--conf", "spark.connect.grpc.binding.address=127.0.0.1",
                    "--conf", "spark.connect.grpc.binding.port=" + port,
                    "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
                    "--conf", "spark.ui.enabled=false",
                    // A profile's group-bys return a few hundred rows: 200 shuffle partitions would be 200 tasks of nothing.
                    "--conf", "spark.sql.shuffle.partitions=4",
                    "--class", "org.apache.spark.sql.connect.service.SparkConnectServer", "spark-internal")
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("SPARK_HOME", sparkHome.toString());
            builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
            builder.environment().put("PYSPARK_PYTHON", python.toString());
            SparkConnectServer server = new SparkConnectServer(builder.start(), log, port);
            server.awaitStarted();
            return server;
        } catch (IOException e) {
            return fail("cannot start the Spark Connect server: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted while starting the Spark Connect server");
        }
    }

    /** The PySpark package's directory, which is a Spark home (bin/, jars/). */
    private static Path sparkHome(Path python) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(python.toString(), "-c", "import os, pyspark; print(os.path.dirname(pyspark.__file__))")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0 || !Files.isExecutable(Path.of(out, "bin", "spark-submit"))) {
            fail("no Spark in the test venv's pyspark (" + out + "); run scripts/test.sh once");
        }
        return Path.of(out);
    }

    private void awaitStarted() throws InterruptedException {
        try {
            TestProcesses.awaitReady(process, log, TestProcesses.logContains(log, STARTED), "the Spark Connect server",
                    Duration.ofSeconds(START_DEADLINE_SECONDS));
        } catch (AssertionError e) {
            close();
            throw e;
        }
    }

    /** The client's address, {@code sc://127.0.0.1:PORT}. */
    public String remote() {
        return "sc://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The server's log so far, for a failing test's message. */
    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    @Override
    public void close() {
        TestProcesses.stopTree(process, "spark connect server");
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // a leftover log in the temp folder is not worth failing a test over
        }
    }
}
