"""Exits 0 but leaves a background worker behind; writes its pid for the test."""
import os
import subprocess
import sys

worker = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
with open(sys.argv[1], "w") as f:
    f.write(str(worker.pid))
with open(os.path.join(sys.argv[2], "model.txt"), "w") as f:
    f.write("ok\n")
print("done, worker still running")
