"""Starts a data-loader-like worker that sleeps, then hangs; writes the worker's pid for the test."""
import subprocess
import sys
import time

worker = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
with open(sys.argv[1], "w") as f:
    f.write(str(worker.pid))
print(f"started worker {worker.pid}", flush=True)
time.sleep(600)
