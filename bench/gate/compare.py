"""Prints the benchmark's result: wall times, the speed ratio, and whether the point values agree."""
import json
import sys

gate_json, peer_json, gate_wall, peer_wall = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
gate_result = json.load(open(gate_json))
gate = {m["name"]: m for m in gate_result["metrics"]}
resamples = gate_result["bootstrap"]["resamples"]
peer = json.load(open(peer_json))
worst = 0.0
print(f"{'metric':<10} {'side':<10} {'mlops gate':>20} {'scikit-learn':>20}  rel. diff")
for name, values in peer["metrics"].items():
    for side in ("baseline", "candidate"):
        ours, theirs = gate[name][side], values[side]
        rel = abs(ours - theirs) / max(abs(theirs), 1e-300)
        worst = max(worst, rel)
        print(f"{name:<10} {side:<10} {ours:>20.12f} {theirs:>20.12f}  {rel:.1e}")
    print(f"{'':<10} {'interval':<10} [{gate[name]['ci_low']:+.5f}, {gate[name]['ci_high']:+.5f}]"
          f"   [{values['ci_low']:+.5f}, {values['ci_high']:+.5f}]  (different random draws)")
print()
print(f"point values match to {worst:.1e} relative: {'YES' if worst <= 1e-9 else 'NO'}")
print(f"mlops gate:            {gate_wall:8.1f} s wall, {resamples} resamples (whole command: JVM start, CSV read, "
      f"metrics, bootstrap)")
print(f"scikit-learn + numpy:  {peer_wall:8.1f} s wall, {peer['resamples']} resamples (whole script: import and CSV read "
      f"{peer['load_s']:.1f} s, point metrics {peer['point_s']:.1f} s, bootstrap {peer['bootstrap_s']:.1f} s "
      f"on {peer['workers']} processes)")
peer_full = peer_wall
if peer["resamples"] != resamples:
    # The bootstrap's cost is linear in the resamples: each one is the same work on new indices.
    peer_full = peer_wall + peer["bootstrap_s"] * (resamples / peer["resamples"] - 1)
    print(f"                       {peer_full:8.1f} s projected for {resamples} resamples "
          f"({peer['bootstrap_s'] / peer['resamples']:.2f} s per measured resample)")
print(f"speed ratio:           {peer_full / gate_wall:8.1f}x" + ("" if peer_full == peer_wall else " (peer projected)"))
sys.exit(0 if worst <= 1e-9 else 1)
