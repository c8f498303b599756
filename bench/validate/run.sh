#!/usr/bin/env bash
# bench/validate: mlops validate-data against Great Expectations, Evidently, Pandera and a bare DuckDB
# scan, on the same generated data, in one run. Not a test: it prints figures and ratios.
#
#   bench/validate/run.sh [--rows 2000000] [--small-rows 500000] [--repeat 3] [--peers ge,evidently,pandera]
#
# Installs its pinned peers into venvs under bench/validate/.venv/ (one per peer: their
# pandas pins clash), GNU time when it is missing, builds the mlops jar, then runs bench.py.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

if [[ ! -x /usr/bin/time ]]; then
  echo "bench: installing GNU time (wall time and peak RSS of each run)" >&2
  apt-get update -qq && apt-get install -y -qq time >/dev/null
fi

# A venv is (re)made when missing or older than its requirements file. A peer that does not
# install is reported by bench.py with the reason (the log), and the others still run.
make_venv() {
  local name="$1" venv="$here/.venv/$1" requirements="$here/requirements-$1.txt"
  local marker="$venv/.installed" log="$here/.venv/$1-install.log"
  if [[ -f "$marker" && "$marker" -nt "$requirements" ]]; then
    return 0
  fi
  echo "bench: installing $name into $venv (once)" >&2
  rm -rf "$venv"
  mkdir -p "$here/.venv"
  if python3 -m venv "$venv" >"$log" 2>&1 \
      && "$venv/bin/pip" install -q --disable-pip-version-check -r "$requirements" >>"$log" 2>&1; then
    touch "$marker"
  else
    echo "bench: could not install $name; see $log" >&2
  fi
}
# Only the peers this run asks for (--peers, default all).
peers="ge,evidently,pandera"
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[$i]}" in
    --peers) peers="${args[$((i + 1))]:-}" ;;
    --peers=*) peers="${args[$i]#--peers=}" ;;
  esac
done
make_venv duckdb
for peer in ${peers//,/ }; do
  make_venv "$peer"
done

echo "bench: building the mlops command line" >&2
"$root/mlops" --version >/dev/null

exec python3 "$here/bench.py" "$@"
