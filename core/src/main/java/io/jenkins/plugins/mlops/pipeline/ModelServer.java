package io.jenkins.plugins.mlops.pipeline;

import io.jenkins.plugins.mlops.io.InfrastructureException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * A model served by the user's {@code serve} command (the example: MLflow's scoring server,
 * {@code mlflow models serve --env-manager local}) on a free loopback port, for the shadow and
 * canary stages. Ready when {@code /ping} answers 200; closing stops its whole process tree.
 * The port is probed free and then bound by the server, so on a busy agent another process can
 * take it in between: a server that exits because its port is taken starts again on another port,
 * at most {@link #START_TRIES} times in all. A server may be a container: {@code {image}} is the
 * version's image, {@code {name}} a name unique to the run, the server and the try, and
 * {@code serve-stop} (e.g. {@code podman rm -f {name}}) runs after the process stops, for each try,
 * so that an aborted run leaves no container behind.
 */
final class ModelServer implements AutoCloseable {
    private static final Duration STARTUP = Duration.ofMinutes(3);
    static final int START_TRIES = 3;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final String name;
    private final RunState state;
    private final List<String> command;
    private final String model;
    private final String image;
    private final List<String> stopCommand;
    private final IntSupplier ports;
    /** Each try's {@code {name}}: serve-stop runs for every one. */
    private final List<String> names = new java.util.ArrayList<>();
    private Process process;
    private URI uri;
    private Path log;
    private int tries;

    private ModelServer(RunState state, String name, List<String> command, String model, String image, List<String> stopCommand,
            IntSupplier ports) {
        this.state = state;
        this.name = name;
        this.command = command;
        this.model = model;
        this.image = image;
        this.stopCommand = stopCommand;
        this.ports = ports;
        start();
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /**
     * Starts {@code command} with {@code {model}} and {@code {port}} filled in, its output to
     * {@code serve-NAME.log} in the run directory; {@link #awaitReady} waits for it.
     */
    static ModelServer launch(RunState state, String name, String model, String image) {
        return new ModelServer(state, name, state.config.serve(), model, image, state.config.serveStop(), ModelServer::freePort);
    }

    /** The same, each try's port from {@code ports}: a test hands out a port it then takes itself. */
    static ModelServer launch(RunState state, String name, List<String> command, List<String> stopCommand, String model,
            IntSupplier ports) {
        return new ModelServer(state, name, command, model, null, stopCommand, ports);
    }

    private void start() {
        tries++;
        int port = ports.getAsInt();
        names.add(("mlops-" + state.runDir.getFileName() + "-" + name + "-" + tries).replaceAll("[^A-Za-z0-9_.-]", "-"));
        List<String> argv = command.stream().map(argument -> state.expand(argument, placeholders(port))).toList();
        // A relative program is the project's (e.g. .venv/bin/mlflow), as for the steps' commands.
        String program = argv.get(0);
        if (program.contains("/") && !Path.of(program).isAbsolute()) {
            argv = new java.util.ArrayList<>(argv);
            argv.set(0, state.project.resolve(program).toString());
        }
        log = state.runDir.resolve("serve-" + name + (tries == 1 ? "" : "-" + tries) + ".log");
        state.console.accept("serve " + name + ": " + String.join(" ", argv) + " (log: " + state.runDir.relativize(log) + ")");
        ProcessBuilder builder = new ProcessBuilder(argv).directory(state.project.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        if (argv.get(0).contains("/")) {
            // As an activated venv: the server's own helpers (MLflow execs uvicorn) come from beside it.
            String bin = Path.of(argv.get(0)).getParent().toString();
            builder.environment().merge("PATH", bin, (path, dir) -> dir + java.io.File.pathSeparator + path);
        }
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new io.jenkins.plugins.mlops.io.BadInputException("serve: cannot start " + argv.get(0) + ": " + e.getMessage());
        }
        uri = URI.create("http://127.0.0.1:" + port);
    }

    private Map<String, String> placeholders(int port) {
        Map<String, String> values = new java.util.HashMap<>(Map.of("model", model, "port", String.valueOf(port),
                "name", names.get(names.size() - 1)));
        if (image != null) {
            values.put("image", image);
        }
        return values;
    }

    /** Stops the server when the JVM is stopped (Ctrl-C, an aborted build) before the run closes it. */
    private final Thread stopOnExit = new Thread(this::stop, "mlops-stop-model-server");

    URI uri() {
        return uri;
    }

    /**
     * Waits until {@code /ping} answers 200; a server that lost its port starts again on another
     * one; a server that exits otherwise, or stays silent, is an infrastructure failure.
     */
    void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive() && lostItsPort() && tries < START_TRIES) {
                state.console.accept("serve " + name + ": port " + uri.getPort() + " was taken by another process before the"
                        + " server could bind it (address already in use); starting again on another port (try " + (tries + 1)
                        + " of " + START_TRIES + ")");
                start();
                continue;
            }
            if (!process.isAlive()) {
                throw new InfrastructureException("the " + name + " model server exited (" + process.exitValue() + ") before "
                        + "it was ready" + (tries > 1 ? " on its " + tries + " ports, each taken by another process" : "")
                        + ": " + lastLines(log));
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(uri.resolve("/ping"))
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new InfrastructureException("interrupted while the " + name + " model server started", e);
            }
            sleep();
        }
        close();
        throw new InfrastructureException("the " + name + " model server was not ready after " + STARTUP.toSeconds()
                + " s: " + lastLines(log));
    }

    /** Sends these request bodies to {@code /invocations} directly, not through the router: they count nowhere. */
    void warmUp(List<String> bodies) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (String body : bodies) {
            try {
                http.send(HttpRequest.newBuilder(uri.resolve("/invocations")).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.discarding());
            } catch (IOException e) {
                return; // the stage itself will see and judge a server that does not answer
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException shuttingDown) {
            return; // the hook stops it
        }
        stop();
    }

    private void stop() {
        List<ProcessHandle> tree = process.descendants().toList();
        process.destroy();
        tree.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        if (stopCommand != null) {
            names.forEach(this::runStopCommand);
        }
    }

    /** serve-stop for one try's {@code {name}}, its output appended to the server's log; a failure is said, not thrown. */
    private void runStopCommand(String tryName) {
        List<String> argv = stopCommand.stream().map(argument -> state.expand(argument, Map.of("name", tryName, "model", model)))
                .toList();
        try {
            Process stop = new ProcessBuilder(argv).directory(state.project.toFile()).redirectErrorStream(true)
                    .redirectOutput(java.lang.ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            if (!stop.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                stop.destroyForcibly();
                state.console.accept("serve-stop " + name + ": " + String.join(" ", argv) + " did not end within "
                        + STOP_TIMEOUT.toSeconds() + " s");
            } else if (stop.exitValue() != 0) {
                state.console.accept("serve-stop " + name + ": " + String.join(" ", argv) + " failed (exit " + stop.exitValue()
                        + "): " + lastLines(log));
            }
        } catch (IOException e) {
            state.console.accept("serve-stop " + name + ": cannot run " + argv.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Whether the exited server failed to bind: it said so (uvicorn, gunicorn, Flask, Python's
     * sockets word it differently), or its port is held by someone else now.
     */
    private boolean lostItsPort() {
        String said;
        try {
            said = Files.readString(log).toLowerCase(Locale.ROOT);
        } catch (IOException e) {
            said = "";
        }
        if (said.contains("address already in use") || said.contains("connection in use") || said.contains("errno 98")) {
            return true;
        }
        try (ServerSocket probe = new ServerSocket(uri.getPort(), 1, InetAddress.getLoopbackAddress())) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String lastLines(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
