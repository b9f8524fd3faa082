#!/usr/bin/env bash
# compare-cluster.sh: a 3-member Keel store cluster against a 3-member etcd 3.4 cluster, one after
# the other on this machine (never both under load): put throughput through all members and
# through the leader only, linearizable and serializable range, p50/p99, and the time from
# killing the leader to the first write acknowledged by the survivors (mean, min and max over
# --failovers kills; the killed member is restarted before the next). Per row it also reports the
# CPU the three members used per request (warm-up requests included) and, for Keel's JVMs, the
# share of it their JIT compiler threads took, so a run shows whether it measured warm members.
#
# Usage: keel-bench/compare-cluster.sh [--out DIR] [--total N] [--warmup N] [--repeat R]
#                                      [--prewarm-rounds R] [--failovers K] [--only-failover]
#                                      [--bench-jvm-opts "OPTS"]
#   --total N           requests per measured run (default 20000)
#   --warmup N          untimed requests of the row's own shape before each run (default N/2)
#   --repeat R          measured runs per row, each with its own warm-up (default 5); a row
#                       reports the median throughput, p50 and p99 of its runs and the range of
#                       their throughput (one run of 20000 puts lasts about 3 s, and single runs
#                       of the same build varied by a third here)
#   --prewarm-rounds R  untimed rounds of put, linearizable and serializable range (N each)
#                       after the cluster starts, before any row (default 10: after 5 the JIT
#                       still took a fifth of Keel's CPU in the put rows; 0 measures cold)
#   --failovers K       leader kills to time (default 10)
#   --only-failover     skip the load rows and prewarm: time failovers only
#   --bench-jvm-opts "OPTS"  JVM options of the load generator (default "-XX:TieredStopAtLevel=1":
#                       each run is a fresh JVM, and C2 compiled through most of a short run,
#                       taking CPUs from the members; see compare.sh)
# Needs: keel-cli and keel-bench built (mvn -o -q package -Dmaven.test.skip=true), etcd, etcdctl.
# Keel members run through bin/keel (KEEL_AOT=1 in the environment: with the JVM's AOT cache).
# Everything listens on 127.0.0.1 only.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export ETCDCTL_API=3
OUT="keel-bench/target/compare-cluster-$(date +%Y%m%d-%H%M%S)"
TOTAL=20000
WARMUP=
PREWARM_ROUNDS=10
REPEAT=5
FAILOVERS=10
ONLY_FAILOVER=0
BENCH_JVM_OPTS="-XX:TieredStopAtLevel=1"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) OUT="$2"; shift 2 ;;
    --total) TOTAL="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --repeat) REPEAT="$2"; shift 2 ;;
    --prewarm-rounds) PREWARM_ROUNDS="$2"; shift 2 ;;
    --failovers) FAILOVERS="$2"; shift 2 ;;
    --only-failover) ONLY_FAILOVER=1; shift ;;
    --bench-jvm-opts) BENCH_JVM_OPTS="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$OUT"
# each measured run starts with this many untimed requests of its own shape, for both clusters
WARMUP="${WARMUP:-$((TOTAL / 2))}"
read -r -a BENCH_JVM <<<"$BENCH_JVM_OPTS"
BENCH=("$JAVA_HOME/bin/java" "${BENCH_JVM[@]}" -cp "keel-bench/target/classes:keel-bench/target/lib/*" io.keel.bench.Bench)
# members start as an operator's would: through the launcher, with its JVM options; with KEEL_AOT=1
# (JDK 25+) with its ahead-of-time cache, recorded now, not while timed
KEEL=(bin/keel store)
if [[ "${KEEL_AOT:-0}" == 1 ]]; then
  bin/keel aot-cache >"$OUT/keel-aot-cache.txt" 2>&1 \
    || echo "no ahead-of-time cache: see $OUT/keel-aot-cache.txt" >&2
fi
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do kill -9 "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

# jiffies of the members, all threads or only a JVM's JIT compiler threads
source keel-bench/lib/cpu.sh
members_cpu() { sum_cpu proc_cpu "${PIDS[@]}"; }
members_jit() { sum_cpu jit_cpu "${PIDS[@]}"; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

start_member() { # kind index: (re)starts a member with its data dir as it is
  local kind=$1 i=$2 ic="" j
  for j in 0 1 2; do ic+="${ic:+,}m$j=http://127.0.0.1:${PEERS[$j]}"; done
  local flags=(--name "m$i" --data-dir "$OUT/$kind-data/m$i"
    --listen-client-urls "http://127.0.0.1:${CLIENTS[$i]}" --advertise-client-urls "http://127.0.0.1:${CLIENTS[$i]}"
    --listen-peer-urls "http://127.0.0.1:${PEERS[$i]}" --initial-advertise-peer-urls "http://127.0.0.1:${PEERS[$i]}"
    --initial-cluster "$ic" --initial-cluster-state new --initial-cluster-token "bench-$kind-$$")
  if [[ $kind == etcd ]]; then etcd "${flags[@]}" >> "$OUT/$kind-m$i.log" 2>&1 &
  else "${KEEL[@]}" "${flags[@]}" >> "$OUT/$kind-m$i.log" 2>&1 & fi
  PIDS[$i]=$!
}

await_healthy() { # kind: every member answers a linearizable read
  local i ok
  for _ in $(seq 1 240); do
    ok=1
    for i in 0 1 2; do
      etcdctl --endpoints="http://127.0.0.1:${CLIENTS[$i]}" --command-timeout=2s endpoint health \
        >/dev/null 2>&1 || { ok=0; break; }
    done
    [[ $ok == 1 ]] && return 0
    sleep 0.5
  done
  echo "$1 cluster did not become healthy; see $OUT/$1-m*.log" >&2; exit 1
}

start_cluster() { # kind
  local kind=$1 i
  CLIENTS=(); PEERS=(); PIDS=()
  for i in 1 2 3; do CLIENTS+=("$(free_port)"); PEERS+=("$(free_port)"); done
  for i in 0 1 2; do start_member "$kind" "$i"; done
  ALL="http://127.0.0.1:${CLIENTS[0]},http://127.0.0.1:${CLIENTS[1]},http://127.0.0.1:${CLIENTS[2]}"
  await_healthy "$kind"
}

failovers() { # kind: kill the leader FAILOVERS times, restarting it in between
  local kind=$1 k li i survivors
  for k in $(seq 1 "$FAILOVERS"); do
    sleep 2   # a settled cluster: the restarted member caught up, heartbeats flowing
    li=$(leader_index)
    [[ -n "$li" ]] || { echo "$kind: no leader before failover $k" >&2; exit 1; }
    survivors=""
    for i in 0 1 2; do [[ $i != "$li" ]] && survivors+="${survivors:+,}http://127.0.0.1:${CLIENTS[$i]}"; done
    "${BENCH[@]}" failover --endpoints "$survivors" --kill-pid "${PIDS[$li]}" --label "$kind" \
      >> "$OUT/$kind-failover.jsonl" 2>> "$OUT/$kind-bench.txt" \
      || { echo "$kind: failover $k failed (see $OUT/$kind-bench.txt)" >&2; exit 1; }
    wait "${PIDS[$li]}" 2>/dev/null || true
    start_member "$kind" "$li"
    await_healthy "$kind"
  done
  python3 - "$OUT/$kind-failover.jsonl" "$kind" "$FAILOVERS" >> "$OUT/rows.txt" <<'PY'
import json, sys
s = [json.loads(l)["seconds"] for l in open(sys.argv[1]) if l.strip()][-int(sys.argv[3]):]
print("%s|leader killed -> first acknowledged write (mean, min-max of %d)|%.2f s (%.2f-%.2f)||"
      % (sys.argv[2], len(s), sum(s) / len(s), min(s), max(s)))
PY
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

run() { # kind label args...: REPEAT measured runs of one row; the members' CPU per request covers
  # the warm-up and measured requests of all of them
  local kind=$1 label=$2; shift 2
  local c0 j0 c1 j1 done_before r
  done_before=0
  [[ -f "$OUT/$kind.jsonl" ]] && done_before=$(wc -l < "$OUT/$kind.jsonl")
  c0=$(members_cpu); j0=$(members_jit)
  for r in $(seq 1 "$REPEAT"); do
    "${BENCH[@]}" "$@" --warmup "$WARMUP" --label "$kind" -q --json-out "$OUT/$kind.jsonl" >> "$OUT/$kind-bench.txt" 2>&1 || true
  done
  c1=$(members_cpu); j1=$(members_jit)
  tail -n +"$((done_before + 1))" "$OUT/$kind.jsonl" | python3 -c "
import json,statistics,sys
runs=[json.loads(l) for l in sys.stdin if l.strip()]
cpu=$((c1 - c0)); jit=$((j1 - j0)); hz=$(getconf CLK_TCK)
n=sum(d.get('succeeded',0)+$WARMUP for d in runs)
med=lambda k: statistics.median([d.get(k,0) for d in runs]) if runs else 0
rps=[d.get('rps',0) for d in runs] or [0]
print('$kind|$label|%.0f|%.1f|%.1f|%.0f|%.0f|%.0f-%.0f' % (med('rps'), med('p50_ms'), med('p99_ms'),
      cpu*1e6/hz/n if n else 0, 100.0*jit/cpu if cpu else 0, min(rps), max(rps)))" >> "$OUT/rows.txt"
}

measure() { # kind
  local kind=$1
  start_cluster "$kind"
  if [[ $ONLY_FAILOVER == 1 ]]; then failovers "$kind"; cleanup; PIDS=(); return; fi
  local li; li=$(leader_index); local LEADER="http://127.0.0.1:${CLIENTS[$li]}"
  # untimed pre-warm, the same for both clusters: three JVMs sharing two cores need a few hundred
  # thousand requests before C2 has compiled their hot paths (a cold Keel cluster measures about
  # half its warm throughput); etcd is unaffected
  local w c0 j0
  for w in $(seq 1 "$PREWARM_ROUNDS"); do
    c0=$(members_cpu); j0=$(members_jit)
    "${BENCH[@]}" put --endpoints "$ALL" --conns 10 --clients 100 --total "$TOTAL" --key-space-size 100000 -q > /dev/null 2>&1 || true
    "${BENCH[@]}" range --endpoints "$ALL" --conns 10 --clients 100 --total "$TOTAL" --consistency l -q > /dev/null 2>&1 || true
    "${BENCH[@]}" range --endpoints "$ALL" --conns 10 --clients 100 --total "$TOTAL" --consistency s -q > /dev/null 2>&1 || true
    echo "$kind prewarm round $w: members' CPU $(( ($(members_cpu) - c0) / $(getconf CLK_TCK) )) s, of which JIT $(( ($(members_jit) - j0) / $(getconf CLK_TCK) )) s" \
      | tee -a "$OUT/prewarm.txt"
  done
  run "$kind" "put, all members, 10 conns 100 clients" put --endpoints "$ALL" --conns 10 --clients 100 --total "$TOTAL" --key-space-size 100000
  run "$kind" "put, leader only, 10 conns 100 clients" put --endpoints "$LEADER" --conns 10 --clients 100 --total "$TOTAL" --key-space-size 100000
  run "$kind" "range 1 key linearizable, all members" range --endpoints "$ALL" --conns 10 --clients 100 --total "$TOTAL" --consistency l
  run "$kind" "range 1 key serializable, all members" range --endpoints "$ALL" --conns 10 --clients 100 --total "$TOTAL" --consistency s
  failovers "$kind"
  cleanup; PIDS=()
  sleep 1
}

: > "$OUT/rows.txt"
measure etcd
measure keel
python3 - "$OUT/rows.txt" "$REPEAT" <<'PY'
import sys, collections
rows = collections.OrderedDict()
for line in open(sys.argv[1]):
    kind, label, a, b, c, u, j, spread = (line.rstrip("\n").split("|") + [""] * 6)[:8]
    rows.setdefault(label, {})[kind] = (a, b, c, u, j, spread)
print("Load rows: median of %s measured runs each (throughput range of the runs in brackets)." % sys.argv[2])
print()
print("| 3-member cluster | etcd req/s | etcd p50 / p99 ms | keel req/s | keel p50 / p99 ms | keel/etcd throughput | members' CPU µs/req etcd / keel (keel's JIT share) |")
print("|---|---:|---:|---:|---:|---:|---:|")
for label, r in rows.items():
    e = r.get("etcd", ("",) * 6); k = r.get("keel", ("",) * 6)
    try: ratio = "%.2f" % (float(k[0]) / float(e[0]))
    except Exception: ratio = ""
    ep = f"{e[1]} / {e[2]}" if e[1] else ""
    kp = f"{k[1]} / {k[2]}" if k[1] else ""
    cpu = f"{e[3]} / {k[3]} ({k[4]}%)" if e[3] and k[3] else ""
    erps = f"{e[0]} ({e[5]})" if e[5] else e[0]
    krps = f"{k[0]} ({k[5]})" if k[5] else k[0]
    print(f"| {label} | {erps} | {ep} | {krps} | {kp} | {ratio} | {cpu} |")
PY
