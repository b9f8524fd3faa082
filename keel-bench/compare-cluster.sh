#!/usr/bin/env bash
# compare-cluster.sh: a 3-member Keel store cluster against a 3-member etcd 3.4 cluster, one after
# the other on this machine (never both under load): put throughput through all members and
# through the leader only, linearizable and serializable range, p50/p99, and the time from
# killing the leader to the first write acknowledged by the survivors.
#
# Usage: keel-bench/compare-cluster.sh [--out DIR] [--total N] [--warmup N] [--prewarm-rounds R]
#   --total N           requests per measured row (default 20000)
#   --warmup N          untimed requests of the row's own shape before each row (default N/2)
#   --prewarm-rounds R  untimed rounds of put, linearizable and serializable range (N each)
#                       after the cluster starts, before any row (default 5; 0 measures cold)
# Needs: keel-cli and keel-bench built (mvn -o -q package -Dmaven.test.skip=true), etcd, etcdctl.
# Everything listens on 127.0.0.1 only.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export ETCDCTL_API=3
OUT="keel-bench/target/compare-cluster-$(date +%Y%m%d-%H%M%S)"
TOTAL=20000
WARMUP=
PREWARM_ROUNDS=5
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) OUT="$2"; shift 2 ;;
    --total) TOTAL="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --prewarm-rounds) PREWARM_ROUNDS="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$OUT"
# each measured run starts with this many untimed requests of its own shape, for both clusters
WARMUP="${WARMUP:-$((TOTAL / 2))}"
BENCH=("$JAVA_HOME/bin/java" -cp "keel-bench/target/classes:keel-bench/target/lib/*" io.keel.bench.Bench)
KEEL=("$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xms8m -XX:MinHeapFreeRatio=5 -XX:MaxHeapFreeRatio=20
  -cp "keel-cli/target/classes:keel-cli/target/lib/*" io.keel.cli.Keel store)
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do kill -9 "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

start_cluster() { # kind
  local kind=$1 ic="" i
  CLIENTS=(); PEERS=(); PIDS=()
  for i in 1 2 3; do CLIENTS+=("$(free_port)"); PEERS+=("$(free_port)"); done
  for i in 0 1 2; do ic+="${ic:+,}m$i=http://127.0.0.1:${PEERS[$i]}"; done
  for i in 0 1 2; do
    local flags=(--name "m$i" --data-dir "$OUT/$kind-data/m$i"
      --listen-client-urls "http://127.0.0.1:${CLIENTS[$i]}" --advertise-client-urls "http://127.0.0.1:${CLIENTS[$i]}"
      --listen-peer-urls "http://127.0.0.1:${PEERS[$i]}" --initial-advertise-peer-urls "http://127.0.0.1:${PEERS[$i]}"
      --initial-cluster "$ic" --initial-cluster-state new --initial-cluster-token "bench-$kind-$$")
    if [[ $kind == etcd ]]; then etcd "${flags[@]}" > "$OUT/$kind-m$i.log" 2>&1 &
    else "${KEEL[@]}" "${flags[@]}" > "$OUT/$kind-m$i.log" 2>&1 & fi
    PIDS+=($!)
  done
  ALL="http://127.0.0.1:${CLIENTS[0]},http://127.0.0.1:${CLIENTS[1]},http://127.0.0.1:${CLIENTS[2]}"
  for _ in $(seq 1 240); do
    etcdctl --endpoints="$ALL" --command-timeout=2s endpoint health >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "$kind cluster did not become healthy; see $OUT/$kind-m*.log" >&2; exit 1
}

leader_index() {
  etcdctl --endpoints="$ALL" endpoint status -w json 2>/dev/null | python3 -c '
import json,sys
d=json.load(sys.stdin)
for i,e in enumerate(d):
    s=e["Status"]
    if s["leader"]==s["header"]["member_id"]:
        print(i); break'
}

run() { # kind label args...
  local kind=$1 label=$2; shift 2
  "${BENCH[@]}" "$@" --warmup "$WARMUP" --label "$kind" -q --json-out "$OUT/$kind.jsonl" >> "$OUT/$kind-bench.txt" 2>&1 || true
  tail -1 "$OUT/$kind.jsonl" | python3 -c "
import json,sys; d=json.load(sys.stdin)
print('$kind|$label|%.0f|%.1f|%.1f' % (d.get('rps',0), d.get('p50_ms',0), d.get('p99_ms',0)))" >> "$OUT/rows.txt"
}

measure() { # kind
  local kind=$1
  start_cluster "$kind"
  local li; li=$(leader_index); local LEADER="http://127.0.0.1:${CLIENTS[$li]}"
  # untimed pre-warm, the same for both clusters: three JVMs sharing two cores need a few hundred
  # thousand requests before C2 has compiled their hot paths (a cold Keel cluster measures about
  # half its warm throughput); etcd is unaffected
  local w
  for w in $(seq 1 "$PREWARM_ROUNDS"); do
    "${BENCH[@]}" put --endpoints "$ALL" --conns 10 --clients 100 --total "$TOTAL" --key-space-size 100000 -q > /dev/null 2>&1 || true
    "${BENCH[@]}" range --endpoints "$ALL" --conns 10 --clients 100 --total "$TOTAL" --consistency l -q > /dev/null 2>&1 || true
    "${BENCH[@]}" range --endpoints "$ALL" --conns 10 --clients 100 --total "$TOTAL" --consistency s -q > /dev/null 2>&1 || true
  done
  run "$kind" "put, all members, 10 conns 100 clients" put --endpoints "$ALL" --conns 10 --clients 100 --total "$TOTAL" --key-space-size 100000
  run "$kind" "put, leader only, 10 conns 100 clients" put --endpoints "$LEADER" --conns 10 --clients 100 --total "$TOTAL" --key-space-size 100000
  run "$kind" "range 1 key linearizable, all members" range --endpoints "$ALL" --conns 10 --clients 100 --total "$TOTAL" --consistency l
  run "$kind" "range 1 key serializable, all members" range --endpoints "$ALL" --conns 10 --clients 100 --total "$TOTAL" --consistency s
  li=$(leader_index)
  local survivors=()
  for i in 0 1 2; do [[ $i != "$li" ]] && survivors+=("http://127.0.0.1:${CLIENTS[$i]}"); done
  local t0; t0=$(date +%s.%N)
  kill -9 "${PIDS[$li]}"
  for _ in $(seq 1 600); do
    etcdctl --endpoints="${survivors[0]},${survivors[1]}" --command-timeout=500ms put failover-probe x >/dev/null 2>&1 && break
  done
  local t1; t1=$(date +%s.%N)
  echo "$kind|leader killed -> first acknowledged write|$(python3 -c "print('%.2f s' % ($t1-$t0))")||" >> "$OUT/rows.txt"
  cleanup; PIDS=()
  sleep 1
}

: > "$OUT/rows.txt"
measure etcd
measure keel
python3 - "$OUT/rows.txt" <<'PY'
import sys, collections
rows = collections.OrderedDict()
for line in open(sys.argv[1]):
    kind, label, a, b, c = (line.rstrip("\n").split("|") + ["", "", ""])[:5]
    rows.setdefault(label, {})[kind] = (a, b, c)
print("| 3-member cluster | etcd req/s | etcd p50 / p99 ms | keel req/s | keel p50 / p99 ms | keel/etcd throughput |")
print("|---|---:|---:|---:|---:|---:|")
for label, r in rows.items():
    e = r.get("etcd", ("", "", "")); k = r.get("keel", ("", "", ""))
    try: ratio = "%.2f" % (float(k[0]) / float(e[0]))
    except Exception: ratio = ""
    ep = f"{e[1]} / {e[2]}" if e[1] else ""
    kp = f"{k[1]} / {k[2]}" if k[1] else ""
    print(f"| {label} | {e[0]} | {ep} | {k[0]} | {kp} | {ratio} |")
PY
