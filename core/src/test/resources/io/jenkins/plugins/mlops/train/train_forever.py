"""Trains "forever" with a forked worker; writes both pids (script, worker) for the test, one a line."""
import os
import subprocess
import sys
import time

worker = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(f"{os.getpid()}\n{worker.pid}\n")
os.replace(sys.argv[1] + ".tmp", sys.argv[1])
print("training", flush=True)
time.sleep(600)
