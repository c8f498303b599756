#!/usr/bin/env python3
"""Starts and stops MLflow's scoring servers for the Jenkinsfile's local profile.

`start NAME=MODEL...` serves each saved model with MLflow's own scoring server (`mlflow models
serve --env-manager local`, from beside this Python) on a free loopback port, in the background,
and returns once every one answers /ping. `stop` stops every server started from this directory.
Each server's URL, process id and log are in .serve/ (NAME.url, NAME.pid, NAME.log).

    .venv/bin/python serve.py start champion=.mlops/champion/model candidate=out/train/model
    cat .serve/champion.url
    python3 serve.py stop
"""

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

STATE = ".serve"
# A loaded 2-core agent needed up to a minute to import MLflow and scikit-learn and load a model.
STARTUP_SECONDS = 180
STOP_SECONDS = 10
# Jenkins stops every process that carries a step's cookie when the step ends; a server must live
# on into the next stages, until `stop` (the Jenkinsfile's post section) ends it.
JENKINS_COOKIES = ("JENKINS_SERVER_COOKIE", "JENKINS_NODE_COOKIE", "BUILD_ID")


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(url):
    try:
        with urllib.request.urlopen(url + "/ping", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def log_tail(path, lines=5):
    try:
        with open(path, encoding="utf-8", errors="replace") as log:
            return "".join(log.readlines()[-lines:])
    except OSError:
        return "(no log)"


def launch(name, model):
    """Starts one server in the background; returns its process and URL."""
    stop([name])  # a server of this name from an earlier run would keep its port and its pid file would be lost
    port = free_port()
    bin_dir = os.path.dirname(sys.executable)
    environment = {key: value for key, value in os.environ.items() if key not in JENKINS_COOKIES}
    # As an activated venv would: MLflow starts its web server from the same bin directory.
    environment["PATH"] = bin_dir + os.pathsep + environment.get("PATH", "")
    command = [os.path.join(bin_dir, "mlflow"), "models", "serve", "-m", model, "-h", "127.0.0.1", "-p", str(port)]
    command += ["--env-manager", "local"]
    with open(os.path.join(STATE, name + ".log"), "w", encoding="utf-8") as log:
        # Its own session: `stop` ends the server and the workers it forked as one process group.
        server = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, env=environment, start_new_session=True
        )
    with open(os.path.join(STATE, name + ".pid"), "w", encoding="utf-8") as pid:
        pid.write(f"{server.pid}\n")
    return server, f"http://127.0.0.1:{port}"


def start(models):
    """Starts every NAME=MODEL at once (each takes its time to load), then waits until all answer."""
    named = []
    for pair in models:
        name, _, model = pair.partition("=")
        if not name or not model:
            raise SystemExit(f"serve: '{pair}' is not NAME=MODEL")
        if not os.path.isfile(os.path.join(model, "MLmodel")):
            raise SystemExit(f"serve: {model} is not a saved MLflow model (no MLmodel file)")
        named.append((name, model))
    os.makedirs(STATE, exist_ok=True)
    servers = {name: launch(name, model) for name, model in named}
    deadline = time.monotonic() + STARTUP_SECONDS
    waiting = dict(servers)
    while waiting:
        for name, (server, url) in list(waiting.items()):
            log = os.path.join(STATE, name + ".log")
            if answers(url):
                with open(os.path.join(STATE, name + ".url"), "w", encoding="utf-8") as address:
                    address.write(url + "\n")
                print(f"serve: {name} at {url}, log {log}", file=sys.stderr)
                del waiting[name]
            elif server.poll() is not None:
                stop()
                raise SystemExit(f"serve: the {name} server exited ({server.returncode}):\n{log_tail(log)}")
            elif time.monotonic() > deadline:
                stop()
                raise SystemExit(f"serve: no answer from the {name} server in {STARTUP_SECONDS} s:\n{log_tail(log)}")
        time.sleep(0.5)
    return 0


def stop_group(pid):
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + STOP_SECONDS
    while time.monotonic() < deadline:
        try:
            os.killpg(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.2)
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def stop(names=None):
    """Stops the servers of these names, or every one started from this directory."""
    if not os.path.isdir(STATE):
        return 0
    running = sorted(entry[: -len(".pid")] for entry in os.listdir(STATE) if entry.endswith(".pid"))
    for name in running if names is None else [name for name in names if name in running]:
        path = os.path.join(STATE, name + ".pid")
        with open(path, encoding="utf-8") as pid:
            stop_group(int(pid.read().strip()))
        os.remove(path)
        if os.path.exists(os.path.join(STATE, name + ".url")):
            os.remove(os.path.join(STATE, name + ".url"))
        print(f"serve: stopped {name}", file=sys.stderr)
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    starting = commands.add_parser("start", help="serve models in the background; their URLs go to .serve/NAME.url")
    starting.add_argument("models", nargs="+", metavar="NAME=MODEL", help="a server's name and a saved MLflow model")
    commands.add_parser("stop", help="stop every server started from this directory")
    args = parser.parse_args(argv)
    return start(args.models) if args.command == "start" else stop()


if __name__ == "__main__":
    sys.exit(main())
