#!/usr/bin/env bash
# The gate benchmark: a 1M-row hold-out (fixed seed), `mlops gate` with 5 metrics and 1000 paired
# bootstrap resamples, against scikit-learn + numpy doing the same computation, in one run.
# Prints both wall times, the ratio and whether the point values agree. Not a test.
#   bench/gate/run.sh [ROWS] [RESAMPLES] [PEER_RESAMPLES]
# The peer needs seconds per resample at 1M rows; PEER_RESAMPLES < RESAMPLES measures it on fewer
# resamples and projects its time linearly to RESAMPLES (the report says so).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rows="${1:-1000000}"
resamples="${2:-1000}"
peer_resamples="${3:-$resamples}"
seed=42
work="$here/target"
mkdir -p "$work"

venv="$here/.venv"
pins_hash="$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)"
if [[ ! -x "$venv/bin/python" || "$(cat "$venv/.requirements.sha256" 2>/dev/null)" != "$pins_hash" ]]; then
  echo "bench: creating $venv from requirements.txt" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet -r "$here/requirements.txt"
  echo "$pins_hash" > "$venv/.requirements.sha256"
fi
py="$venv/bin/python"

data="$work/holdout-$rows"
if [[ ! -f "$data/candidate.csv" ]]; then
  echo "bench: writing a $rows-row hold-out (seed $seed)" >&2
  mkdir -p "$data.tmp"
  "$py" "$here/make_holdout.py" "$rows" "$data.tmp" "$seed"
  rm -rf "$data" && mv "$data.tmp" "$data"
fi
"$root/mlops" --version >/dev/null   # build the command line before timing it

echo "bench: machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "bench: mlops gate, $rows rows, 5 metrics, $resamples resamples" >&2
start=$(date +%s.%N)
set +e
"$root/mlops" gate --baseline "$data/baseline.csv" --candidate "$data/candidate.csv" --label y --prediction pred \
  --score proba --metric roc_auc,accuracy,f1,log_loss,brier --resamples "$resamples" --seed "$seed" \
  --report "$work/report" --quiet
gate_exit=$?
set -e
gate_wall=$(echo "$(date +%s.%N) - $start" | bc)
if [[ $gate_exit -gt 1 ]]; then
  echo "bench: mlops gate failed with exit $gate_exit" >&2
  exit 1
fi

echo "bench: scikit-learn + numpy peer, same computation, $peer_resamples resamples" >&2
start=$(date +%s.%N)
"$py" "$here/peer.py" "$data/baseline.csv" "$data/candidate.csv" "$peer_resamples" "$seed" 0.95 > "$work/peer.json"
peer_wall=$(echo "$(date +%s.%N) - $start" | bc)

"$py" "$here/compare.py" "$work/report/gate.json" "$work/peer.json" "$gate_wall" "$peer_wall"
