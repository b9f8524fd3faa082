#!/usr/bin/env bash
# compare-agent.sh: the machine agent against plain Docker, in one run on this machine:
#  1. start-to-running: `keel` creating a launched container unit vs `docker run -d` of the same
#     image, both timed to the engine's start event (keel-bench agent-start);
#  2. failover: SIGKILL of the node running a unit until its container starts on the other node;
#  3. the node's idle RSS and heap (agent + engine + API in one JVM) with three container units.
#
# Usage: keel-bench/compare-agent.sh [--out DIR] [--runs N] [--ttl SECONDS]
# Needs: keel-cli and keel-bench built (mvn -o -q package -Dmaven.test.skip=true), docker.io,
# busybox-static, etcdctl. Uses $DOCKER_HOST if set, else starts a private dockerd (--bridge=none
# --iptables=false) under /tmp/keel-docker. Containers run with --network none; everything else
# listens on 127.0.0.1 only.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
OUT="keel-bench/target/compare-agent-$(date +%Y%m%d-%H%M%S)"
RUNS=10
TTL=5
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) OUT="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --ttl) TTL="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
DOCKER=/usr/bin/docker
BENCH=("$JAVA_HOME/bin/java" -cp "keel-bench/target/classes:keel-bench/target/lib/*" io.keel.bench.Bench)
KEEL=("$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xms8m -XX:MinHeapFreeRatio=5 -XX:MaxHeapFreeRatio=20
  -cp "keel-cli/target/classes:keel-cli/target/lib/*" io.keel.cli.Keel)
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do kill -9 "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_http() { for _ in $(seq 1 240); do curl -sf "$1" >/dev/null && return 0; sleep 0.25; done; echo "no answer from $1" >&2; exit 1; }

if [[ -z "${DOCKER_HOST:-}" ]]; then
  export DOCKER_HOST=unix:///tmp/keel-docker/docker.sock
  if ! $DOCKER info >/dev/null 2>&1; then
    mkdir -p /tmp/keel-docker
    dockerd --bridge=none --iptables=false --ip6tables=false -H "$DOCKER_HOST" \
      --data-root /tmp/keel-docker/root --exec-root /tmp/keel-docker/exec \
      --pidfile /tmp/keel-docker/docker.pid > "$OUT/dockerd.log" 2>&1 &
    for _ in $(seq 1 120); do $DOCKER info >/dev/null 2>&1 && break; sleep 0.25; done
  fi
fi
IMAGE=keel-bench/busybox:1
if ! $DOCKER image inspect "$IMAGE" >/dev/null 2>&1; then
  rootfs="$(mktemp -d)"; mkdir -p "$rootfs/bin"; cp /bin/busybox "$rootfs/bin/"
  for a in sh sleep echo cat true false; do ln -s busybox "$rootfs/bin/$a"; done
  tar -C "$rootfs" -c . | $DOCKER import - "$IMAGE" >/dev/null
  rm -rf "$rootfs"
fi

CLIENT=$(free_port); PEER=$(free_port)
"${KEEL[@]}" store --data-dir "$OUT/store" --listen-client-urls "http://127.0.0.1:$CLIENT" \
  --advertise-client-urls "http://127.0.0.1:$CLIENT" --listen-peer-urls "http://127.0.0.1:$PEER" \
  --initial-advertise-peer-urls "http://127.0.0.1:$PEER" --initial-cluster "default=http://127.0.0.1:$PEER" \
  > "$OUT/store.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 240); do
  ETCDCTL_API=3 etcdctl --endpoints="http://127.0.0.1:$CLIENT" --command-timeout=2s endpoint health >/dev/null 2>&1 && break
  sleep 0.25
done
# the node's JVM options as bin/keel sets them for `keel node`
NODE_OPTS=(-XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=24m -XX:MaxMetaspaceSize=128m
  -Dio.netty.allocator.type=unpooled -Dio.netty.noPreferDirect=true)
export MALLOC_ARENA_MAX=2
start_node() { # name port
  "${KEEL[0]}" "${NODE_OPTS[@]}" "${KEEL[@]:1}" node --endpoints "127.0.0.1:$CLIENT" --machine-id "bench-$1" --data-dir "$OUT/$1" \
    --api-listen "127.0.0.1:$2" --agent-ttl "${TTL}s" --engine-reconcile-interval 1s \
    --docker-host "$DOCKER_HOST" --public-ip 127.0.0.1 > "$OUT/$1.log" 2>&1 &
  echo $!
}
API_A=$(free_port); API_B=$(free_port)
NODE_A=$(start_node a "$API_A"); PIDS+=("$NODE_A")
wait_http "http://127.0.0.1:$API_A/keel/v1/node"

echo "== start-to-running, $RUNS containers each" | tee "$OUT/summary.txt"
"${BENCH[@]}" agent-start --endpoint "http://127.0.0.1:$API_A" --docker "$DOCKER" --docker-host "$DOCKER_HOST" \
  --image "$IMAGE" --runs "$RUNS" | tee -a "$OUT/summary.txt"

echo "== idle node with three container units" | tee -a "$OUT/summary.txt"
for i in 1 2 3; do
  printf '[Service]\nTimeoutStopSec=1\n\n[Container]\nImage=%s\nExec=/bin/sleep 100000\nNetwork=none\n' "$IMAGE" \
    > "$OUT/idle$i.service"
  "${KEEL[@]}" --endpoint "http://127.0.0.1:$API_A" start "$OUT/idle$i.service" > /dev/null
done
sleep 20
RSS=$(ps -o rss= -p "$NODE_A" | tr -d ' ')
HEAP=$(curl -s "http://127.0.0.1:$API_A/metrics" | awk '/^jvm_memory_used_bytes\{/ && /area="heap"/ {s+=$NF} END {printf "%.1f", s/1048576}')
echo "node idle RSS $((RSS / 1024)) MiB, heap used ${HEAP} MiB (fleetd ~25 MB, locksmithd ~10 MB)" | tee -a "$OUT/summary.txt"
for i in 1 2 3; do "${KEEL[@]}" --endpoint "http://127.0.0.1:$API_A" destroy "idle$i.service" > /dev/null; done

echo "== failover (agent TTL ${TTL}s)" | tee -a "$OUT/summary.txt"
NODE_B=$(start_node b "$API_B"); PIDS+=("$NODE_B")
wait_http "http://127.0.0.1:$API_B/keel/v1/node"
printf '[Service]\nTimeoutStopSec=1\n\n[Container]\nImage=%s\nExec=/bin/sleep 100000\nNetwork=none\n' "$IMAGE" \
  > "$OUT/mover.service"
"${KEEL[@]}" --endpoint "http://127.0.0.1:$API_B" start "$OUT/mover.service" > /dev/null
HOLDER=$("${KEEL[@]}" --endpoint "http://127.0.0.1:$API_B" list-units --no-legend --fields unit,machine | awk '/mover/ {print $2}')
case "$HOLDER" in bench-a*) VICTIM=$NODE_A; SURVIVOR=bench-b ;; *) VICTIM=$NODE_B; SURVIVOR=bench-a ;; esac
$DOCKER events --filter event=start --filter "container=keel-$SURVIVOR-mover.service" \
  --format '{{.TimeNano}}' > "$OUT/failover-events.txt" &
EVENTS=$!; PIDS+=("$EVENTS")
sleep 1
T0=$(date +%s%N)
kill -9 "$VICTIM"
for _ in $(seq 1 600); do [[ -s "$OUT/failover-events.txt" ]] && break; sleep 0.1; done
T1=$(head -1 "$OUT/failover-events.txt")
echo "failover: SIGKILL of the holder -> container running on the survivor: $(( (T1 - T0) / 1000000 )) ms (target TTL + 1 s = $((TTL + 1)) s)" \
  | tee -a "$OUT/summary.txt"
for m in bench-a bench-b; do $DOCKER ps -aq --filter "label=io.keel.machine=$m" | xargs -r $DOCKER rm -f > /dev/null; done
