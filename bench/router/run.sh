#!/usr/bin/env bash
# The router against nginx and HAProxy, in one run, on loopback: wrk drives one upstream (an nginx
# that answers a fixed MLflow-style JSON body, so the upstream is never the bottleneck)
#   1. direct, 2. through mlops router, 3. through nginx proxy_pass with upstream keepalive,
#   4. through HAProxy (http mode, keep-alive to the upstream), 5. through mlops router mirroring
# every request to a second upstream, then prints throughput, CPU and p99 ratios. Bounded: each
# wrk run lasts DURATION seconds.
# Pinning: every proxy runs on CPU 0 (only the one measured is busy), wrk and the upstream on
# CPU 1, so that the load tool does not take the proxy's CPU. On a 2-core machine that is all of
# it; on a bigger one the other cores stay free.
# CPU per request (from /proc ticks) is the figure a busy machine skews least; the run prints the
# load average beside it.
# Latency is measured paced (wrk's delay() hook) at RATE req/s, by default half the slowest
# proxy's saturating rate, because at saturation any extra work raises p99, whereas the target is
# about a serving load: the added p99 is the proxy's paced p99 less the direct paced p99.
# Needs wrk, nginx, haproxy (Debian: apt-get install wrk nginx-light haproxy), taskset and a built
# cli/target/mlops-cli.jar (./mvnw -o package -DskipTests -pl cli -am).
# Usage: bench/router/run.sh [DURATION_S=10] [CONNECTIONS=32] [WORKERS=1] [RATE=auto]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
DURATION=${1:-10}
CONNECTIONS=${2:-32}
WORKERS=${3:-1}   # nginx worker processes and router event loops, the same for both proxies
RATE=${4:-auto}
for tool in wrk nginx haproxy taskset java curl; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (Debian: apt-get install wrk nginx-light haproxy)" >&2; exit 2; }
done
(( $(nproc) >= 2 )) || { echo "bench: needs 2 CPUs to pin the proxy apart from wrk, this machine has $(nproc)" >&2; exit 2; }
PROXY_CPU=0; LOAD_CPU=1
JAR=${ROUTER_JAR:-cli/target/mlops-cli.jar}   # another build to compare, e.g. main's
[[ -f $JAR ]] || { echo "bench: build $JAR first: ./mvnw -B -ntp -o install -DskipTests -q" >&2; exit 2; }

work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
UPSTREAM=$(free_port); MIRROR=$(free_port); NGINX=$(free_port); HAPROXY=$(free_port); ROUTER=$(free_port); ROUTER_MIRROR=$(free_port)

mkdir -p "$work/logs"
nginx_conf() {  # name servers...: one nginx instance per role, so that each one's CPU can be read apart
  cat > "$work/$1.conf" <<CONF
worker_processes $WORKERS;
error_log $work/logs/$1-error.log warn;
pid $work/$1.pid;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work; proxy_temp_path $work; fastcgi_temp_path $work; uwsgi_temp_path $work; scgi_temp_path $work;
  upstream model { server 127.0.0.1:$UPSTREAM; keepalive 128; }
  $2
}
CONF
}
# The "model": a fixed answer, like MLflow's, so only the proxies differ.
nginx_conf upstream "server { listen 127.0.0.1:$UPSTREAM; location / { default_type application/json; return 200 '{\"predictions\": [0.5, 0.25]}'; } }
  server { listen 127.0.0.1:$MIRROR; location / { default_type application/json; return 200 '{\"predictions\": [0.5, 0.75]}'; } }"
nginx_conf proxy "server { listen 127.0.0.1:$NGINX; location / { proxy_pass http://model; proxy_http_version 1.1; proxy_set_header Connection \"\"; } }"
cat > "$work/haproxy.cfg" <<CONF
global
  nbthread $WORKERS
  maxconn 4096
defaults
  mode http
  option http-keep-alive
  timeout connect 5s
  timeout client 60s
  timeout server 60s
frontend bench
  bind 127.0.0.1:$HAPROXY
  default_backend model
backend model
  http-reuse always
  server upstream 127.0.0.1:$UPSTREAM
CONF
taskset -c $LOAD_CPU nginx -p "$work" -c "$work/upstream.conf" -g 'daemon off;' & pids+=($!)
taskset -c $PROXY_CPU nginx -p "$work" -c "$work/proxy.conf" -g 'daemon off;' & pids+=($!); NGINX_PID=$!
taskset -c $PROXY_CPU haproxy -db -f "$work/haproxy.cfg" & pids+=($!); HAPROXY_PID=$!
ROUTER_JAVA_OPTS=(${ROUTER_JAVA_OPTS:-})   # e.g. -XX:StartFlightRecording=... to profile the router
taskset -c $PROXY_CPU java "${ROUTER_JAVA_OPTS[@]}" -jar "$JAR" router --listen "127.0.0.1:$ROUTER" --variant "primary=http://127.0.0.1:$UPSTREAM" --log none \
  --event-loops "$WORKERS" 2>"$work/router.log" & pids+=($!); ROUTER_PID=$!
taskset -c $PROXY_CPU java -jar "$JAR" router --listen "127.0.0.1:$ROUTER_MIRROR" --variant "primary=http://127.0.0.1:$UPSTREAM" --log none \
  --event-loops "$WORKERS" --mirror "http://127.0.0.1:$MIRROR" 2>"$work/router-mirror.log" & pids+=($!); MIRROR_PID=$!
for port in $UPSTREAM $NGINX $HAPROXY $ROUTER $ROUTER_MIRROR; do
  for _ in $(seq 1 150); do curl -fs -o /dev/null -X POST "http://127.0.0.1:$port/invocations" -d '{}' && break; sleep 0.2; done
done

cat > "$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"dataframe_split": {"columns": ["a", "b", "c"], "data": [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]}}'
LUA
# wrk prints p99 in us/ms/s; this turns it into milliseconds.
to_ms() { awk '{ v=$1; if (v ~ /us$/) { sub(/us$/,"",v); v/=1000 } else if (v ~ /ms$/) { sub(/ms$/,"",v) } else if (v ~ /s$/) { sub(/s$/,"",v); v*=1000 } print v }'; }
# CPU ticks (1/100 s) a process and its children used so far: a figure the machine's load does not skew.
cpu_ticks() { local t=0 p; for p in $(pgrep -P "$1") "$1"; do t=$((t + $(awk '{print $14+$15}' "/proc/$p/stat"))); done; echo "$t"; }
measure() {  # name url [pid] [script] -> "rps p50_ms p99_ms cpu_us_per_request"
  local before=0 out rps p50 p99 requests cpu=0
  [[ -n ${3:-} ]] && before=$(cpu_ticks "$3")
  out=$(taskset -c $LOAD_CPU wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "${4:-$work/post.lua}" "$2")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out" | to_ms)
  p99=$(awk '$1=="99%" {print $2}' <<<"$out" | to_ms)
  [[ -n ${3:-} ]] && cpu=$(awk -v t=$(( $(cpu_ticks "$3") - before )) -v n="$requests" 'BEGIN { printf "%.1f", t * 10000 / n }')
  printf '%-24s %8.0f req/s   p50 %7.3f ms   p99 %7.3f ms   proxy CPU %6s us/request   load %s\n' "$1" "$rps" "$p50" "$p99" "$cpu" \
    "$(cut -d' ' -f1 /proc/loadavg)" >&2
  echo "$rps $p50 $p99 $cpu"
}
echo "bench/router: wrk -t1 -c$CONNECTIONS -d${DURATION}s, $WORKERS worker(s) per proxy, $(nproc) CPUs: proxies on CPU $PROXY_CPU," \
  "wrk and the upstream on CPU $LOAD_CPU; load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
# Warm the JIT of both routers first, not measured: in 5 s rounds until a round's CPU per request is
# within 10% of the one before (at most 12 rounds). The JIT's compiler threads share the proxy's
# CPU and their ticks count as the router's: on a loaded machine C2 finishes late, and a fixed 15 s
# warm-up measured a half-compiled router at 67 us a request against 22 in the run before.
warm() {  # name port pid
  local last=0 now round t0 out n
  for round in $(seq 1 12); do
    t0=$(cpu_ticks "$3")
    out=$(taskset -c $LOAD_CPU wrk -t1 -c"$CONNECTIONS" -d5s -s "$work/post.lua" "http://127.0.0.1:$2/invocations")
    n=$(awk '/requests in/ {print $1}' <<<"$out")
    now=$(( ($(cpu_ticks "$3") - t0) * 10000 / (n > 0 ? n : 1) ))
    if (( round > 1 && now * 10 >= last * 9 && now * 10 <= last * 11 )); then break; fi
    last=$now
  done
  echo "$1 warm after $round rounds of 5 s: $now us/request" >&2
}
warm "mlops router" $ROUTER $ROUTER_PID
warm "mlops router + mirror" $ROUTER_MIRROR $MIRROR_PID
read -r d_rps d_p50 d_p99 d_cpu < <(measure direct "http://127.0.0.1:$UPSTREAM/invocations")
read -r r_rps r_p50 r_p99 r_cpu < <(measure "mlops router" "http://127.0.0.1:$ROUTER/invocations" "$ROUTER_PID")
read -r n_rps n_p50 n_p99 n_cpu < <(measure "nginx proxy_pass" "http://127.0.0.1:$NGINX/invocations" "$NGINX_PID")
read -r h_rps h_p50 h_p99 h_cpu < <(measure "haproxy" "http://127.0.0.1:$HAPROXY/invocations" "$HAPROXY_PID")
read -r m_rps m_p50 m_p99 m_cpu < <(measure "mlops router + mirror" "http://127.0.0.1:$ROUTER_MIRROR/invocations" "$MIRROR_PID")
if [[ $RATE == auto ]]; then
  RATE=$(awk -v a="$r_rps" -v b="$n_rps" -v c="$h_rps" 'BEGIN { m = a; if (b < m) m = b; if (c < m) m = c; printf "%d", m / 2 }')
fi
# wrk's delay() is whole milliseconds per connection: fewer connections keep the pace near RATE.
PACED_CONNECTIONS=$(( RATE / 200 > 1 ? RATE / 200 : 1 ))
{ cat "$work/post.lua"; echo "function delay() return $(( PACED_CONNECTIONS * 1000 / RATE )) end"; } > "$work/paced.lua"
paced() { CONNECTIONS=$PACED_CONNECTIONS measure "$@" "$work/paced.lua"; }
echo "paced at ~$RATE req/s (half the slowest proxy's saturating rate): $PACED_CONNECTIONS connections, $(( PACED_CONNECTIONS * 1000 / RATE )) ms between a connection's requests" >&2
read -r pd_rps _ pd_p99 _ < <(paced "direct, paced" "http://127.0.0.1:$UPSTREAM/invocations" "")
read -r pr_rps _ pr_p99 pr_cpu < <(paced "router, paced" "http://127.0.0.1:$ROUTER/invocations" "$ROUTER_PID")
read -r _ _ pn_p99 pn_cpu < <(paced "nginx, paced" "http://127.0.0.1:$NGINX/invocations" "$NGINX_PID")
read -r _ _ ph_p99 ph_cpu < <(paced "haproxy, paced" "http://127.0.0.1:$HAPROXY/invocations" "$HAPROXY_PID")
read -r _ _ pm_p99 pm_cpu < <(paced "router + mirror, paced" "http://127.0.0.1:$ROUTER_MIRROR/invocations" "$MIRROR_PID")
dropped=$(curl -fs "http://127.0.0.1:$ROUTER_MIRROR/metrics" | awk '/^mlops_router_mirror_total\{outcome="dropped"\}/ {print $2}')
sent=$(curl -fs "http://127.0.0.1:$ROUTER_MIRROR/metrics" | awk '/^mlops_router_mirror_total\{outcome="sent"\}/ {print $2}')
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg); mirror sent $sent, dropped $dropped" >&2
# Peak resident memory of the router, so that a collector's footprint is seen beside its latency.
echo "router peak RSS $(awk '/VmHWM/ {printf "%.0f MB", $2 / 1024}' "/proc/$ROUTER_PID/status"), options: ${ROUTER_JAVA_OPTS[*]:-none}" >&2
awk -v rate="$pr_rps" -v r="$r_rps" -v n="$n_rps" -v h="$h_rps" -v rc="$r_cpu" -v nc="$n_cpu" -v hc="$h_cpu" \
    -v pd="$pd_p99" -v pr="$pr_p99" -v pn="$pn_p99" -v ph="$ph_p99" -v pm="$pm_p99" -v mp="$m_p99" -v rp="$r_p99" 'BEGIN {
  printf "throughput      router/nginx %.2fx, router/haproxy %.2fx  (target >= 1x)\n", r / n, r / h
  printf "CPU per request router/nginx %.2fx, router/haproxy %.2fx  (%s, %s, %s us; the figure the load skews least)\n", rc / nc, rc / hc, rc, nc, hc
  printf "added p99 at %d req/s: router %.3f ms, nginx %.3f ms, haproxy %.3f ms (target < 1 ms)\n", rate, pr - pd, pn - pd, ph - pd
  printf "mirroring adds to the primary p99 %+.1f%% at %d req/s (target < 10%%), %+.1f%% at saturation\n", (pm / pr - 1) * 100, rate, (mp / rp - 1) * 100
}'
