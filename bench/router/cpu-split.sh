#!/usr/bin/env bash
# Where the router's CPU per request goes: user and kernel time of each of its threads, from /proc,
# over one wrk run (the router pinned to CPU 0, wrk and an nginx upstream to CPU 1, as in run.sh),
# and with PERF=1 a perf profile of the event loop thread (kernel symbols: which system calls cost).
# The kernel's share is what a Java-side profile (JFR) does not show. MIRROR=1 mirrors every
# request to a second upstream (the same nginx, another port), so the copy's CPU is counted too.
# Usage: bench/router/cpu-split.sh [WARM_S=20] [DURATION_S=15]   (ROUTER_JAR= another build, MIRROR=1)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
WARM=${1:-20}; DURATION=${2:-15}
JAR=${ROUTER_JAR:-cli/target/mlops-cli.jar}
[[ -f $JAR ]] || { echo "cpu-split: build $JAR first: ./mvnw -B -ntp -o package -DskipTests -pl cli -am" >&2; exit 2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
UPSTREAM=$(free_port); SHADOW=$(free_port); ROUTER=$(free_port)
w=$(mktemp -d)
cat > "$w/u.conf" <<CONF
worker_processes 1; error_log $w/e.log warn; pid $w/u.pid; events { worker_connections 4096; }
http { access_log off; client_body_temp_path $w; proxy_temp_path $w; fastcgi_temp_path $w; uwsgi_temp_path $w; scgi_temp_path $w;
server { listen 127.0.0.1:$UPSTREAM; location / { default_type application/json; return 200 '{"predictions": [0.5, 0.25]}'; } }
server { listen 127.0.0.1:$SHADOW; location / { default_type application/json; return 200 '{"predictions": [0.5, 0.75]}'; } } }
CONF
mirror=(); [[ -n ${MIRROR:-} ]] && mirror=(--mirror "http://127.0.0.1:$SHADOW")
taskset -c 1 nginx -p "$w" -c "$w/u.conf" -g 'daemon off;' & NP=$!
taskset -c 0 java -jar "$JAR" router --listen "127.0.0.1:$ROUTER" --variant "primary=http://127.0.0.1:$UPSTREAM" --log none \
  --event-loops 1 "${mirror[@]}" 2>"$w/r.log" & RP=$!
trap 'kill $RP $NP 2>/dev/null; wait 2>/dev/null; rm -rf "$w"' EXIT
for _ in $(seq 1 150); do curl -fs -o /dev/null -X POST "http://127.0.0.1:$ROUTER/invocations" -d '{}' && break; sleep 0.2; done
cat > "$w/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"dataframe_split": {"columns": ["a", "b", "c"], "data": [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]}}'
LUA
taskset -c 1 wrk -t1 -c32 -d"${WARM}s" -s "$w/post.lua" "http://127.0.0.1:$ROUTER/invocations" >/dev/null
# thread id, name (spaces made _), user and system ticks (fields 14 and 15 of stat, counted after the name)
snap() { for t in /proc/$RP/task/*; do echo "$(basename "$t") $(tr -c 'A-Za-z0-9.\n-' _ < "$t/comm") $(sed 's/.*) //' "$t/stat" | awk '{print $12, $13}')"; done; }
# The proxied path's loop: the netty front's (mlops-router-loop-N) where the build has one, else Vert.x's.
loop=$( (grep -l mlops-router-lo /proc/$RP/task/*/comm || grep -l eventloo /proc/$RP/task/*/comm) | head -1 | cut -d/ -f5)
if [[ -n ${PERF:-} ]]; then
  (timeout $((DURATION + 5)) perf record -e cpu-clock -F 2000 -g -t "$loop" -o "$w/perf.data" -- sleep "$DURATION" >/dev/null 2>&1 || true) & PERFP=$!
fi
snap > "$w/a"; load0=$(cut -d' ' -f1 /proc/loadavg)
out=$(taskset -c 1 wrk -t1 -c32 -d"${DURATION}s" -s "$w/post.lua" "http://127.0.0.1:$ROUTER/invocations")
snap > "$w/b"
n=$(awk '/requests in/ {print $1}' <<<"$out")
echo "$(awk '/Requests\/sec/ {print $2}' <<<"$out") req/s, $n requests, load $load0 -> $(cut -d' ' -f1 /proc/loadavg)"
if [[ -n ${MIRROR:-} ]]; then
  curl -fs "http://127.0.0.1:$ROUTER/metrics" | awk '/^mlops_router_mirror_total/ {printf "  %s %s\n", $1, $2}'
fi
join <(sort "$w/a") <(sort "$w/b") | awk -v n="$n" '{u=$6-$3; s=$7-$4; tu+=u; ts+=s; if (u+s>0) printf "  %-24s user %6.2f  kernel %6.2f us/request\n", $2, u*1e4/n, s*1e4/n}
  END {printf "  all threads              user %6.2f  kernel %6.2f = %.2f us/request\n", tu*1e4/n, ts*1e4/n, (tu+ts)*1e4/n}'
if [[ -n ${PERF:-} ]]; then
  wait "$PERFP" || true
  perf report -i "$w/perf.data" --no-children --sort sym --stdio -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -15
fi
