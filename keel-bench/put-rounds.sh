#!/usr/bin/env bash
# put-rounds.sh: how a server's put throughput and CPU per put settle under sustained load.
#
# Starts one server (a single member, or a 3-member cluster with --members 3) on fresh data dirs
# and loopback ports, then runs ROUNDS back-to-back keel-bench put runs against it (all members'
# endpoints). Per round it prints throughput, p99, the servers' CPU per put, and how much of that
# CPU the JVM's JIT compiler threads used (0 for etcd). Nothing is averaged or hidden: the first
# rounds show the cold server, the last ones the warm one.
#
# Usage: keel-bench/put-rounds.sh [--server keel|etcd] [--members 1|3] [--rounds R] [--total N]
#                                 [--clients C] [--conns K] [--keep-dir]
#   defaults: keel, 1 member, 12 rounds of 20000 puts, 100 clients on 10 connections
# Needs: keel-bench built (mvn -pl keel-bench package), etcd/etcdctl on PATH, a JDK 21+.
set -Eeuo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"

SERVER=keel MEMBERS=1 ROUNDS=12 TOTAL=20000 CLIENTS=100 CONNS=10 KEEP=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --server) SERVER="$2"; shift 2 ;;
    --members) MEMBERS="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --total) TOTAL="$2"; shift 2 ;;
    --clients) CLIENTS="$2"; shift 2 ;;
    --conns) CONNS="$2"; shift 2 ;;
    --keep-dir) KEEP=1; shift ;;
    *) echo "put-rounds.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[[ $SERVER == keel || $SERVER == etcd ]] || { echo "put-rounds.sh: --server must be keel or etcd" >&2; exit 2; }
[[ $MEMBERS == 1 || $MEMBERS == 3 ]] || { echo "put-rounds.sh: --members must be 1 or 3" >&2; exit 2; }

DIR="$(mktemp -d /tmp/put-rounds.XXXXXX)"
PIDS=()
cleanup() {
  [[ ${#PIDS[@]} -gt 0 ]] && kill "${PIDS[@]}" 2>/dev/null
  wait 2>/dev/null || true
  [[ $KEEP == 1 ]] || rm -rf "$DIR"
}
trap cleanup EXIT

cluster=""
for i in $(seq 0 $((MEMBERS - 1))); do cluster+="${cluster:+,}m$i=http://127.0.0.1:$((25801 + i * 10))"; done
endpoints=""
for i in $(seq 0 $((MEMBERS - 1))); do
  client=$((25800 + i * 10)) peer=$((25801 + i * 10))
  endpoints+="${endpoints:+,}http://127.0.0.1:$client"
  flags=(--name "m$i" --data-dir "$DIR/m$i" --listen-client-urls "http://127.0.0.1:$client"
    --advertise-client-urls "http://127.0.0.1:$client" --listen-peer-urls "http://127.0.0.1:$peer"
    --initial-advertise-peer-urls "http://127.0.0.1:$peer" --initial-cluster "$cluster"
    --initial-cluster-state new)
  if [[ $SERVER == etcd ]]; then etcd "${flags[@]}" >"$DIR/m$i.log" 2>&1 &
  else bin/keel store "${flags[@]}" >"$DIR/m$i.log" 2>&1 &
  fi
done
for _ in $(seq 240); do etcdctl --endpoints "$endpoints" endpoint health >/dev/null 2>&1 && break; sleep 0.5; done
etcdctl --endpoints "$endpoints" endpoint health >/dev/null 2>&1 || { echo "put-rounds.sh: $SERVER did not come up (logs in $DIR)" >&2; KEEP=1; exit 1; }
for i in $(seq 0 $((MEMBERS - 1))); do
  PIDS+=("$(ss -Htlnp "sport = :$((25800 + i * 10))" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)")
done

source keel-bench/lib/cpu.sh
HZ=$(getconf CLK_TCK)
BENCH=("$JAVA_HOME/bin/java" -Xms256m -Xmx1g -cp "keel-bench/target/classes:keel-bench/target/lib/*" io.keel.bench.Bench)

echo "$SERVER, $MEMBERS member(s), $ROUNDS rounds of $TOTAL puts, $CLIENTS clients on $CONNS connections"
printf '%-6s %10s %9s %9s %14s %10s\n' round puts/s p50_ms p99_ms cpu_us/put jit_share
for r in $(seq 1 "$ROUNDS"); do
  c0=$(sum_cpu proc_cpu "${PIDS[@]}") j0=$(sum_cpu jit_cpu "${PIDS[@]}")
  out=$("${BENCH[@]}" put --endpoints "$endpoints" --conns "$CONNS" --clients "$CLIENTS" --total "$TOTAL" \
    --key-space-size 100000 -q 2>/dev/null | tail -1)
  c1=$(sum_cpu proc_cpu "${PIDS[@]}") j1=$(sum_cpu jit_cpu "${PIDS[@]}")
  python3 - "$r" "$out" "$((c1 - c0))" "$((j1 - j0))" "$HZ" <<'PY'
import json, sys
r, out, cpu, jit, hz = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
n = out.get("succeeded", 0) or 1
print("%-6s %10.0f %9.2f %9.2f %14.0f %9.0f%%" % (r, out["rps"], out["p50_ms"], out["p99_ms"],
      cpu * 1e6 / hz / n, 100.0 * jit / cpu if cpu else 0))
PY
done
