#!/usr/bin/env bash
# compare-cluster.sh: a 3-member Keel store cluster against a 3-member etcd 3.4 cluster on this
# machine, both running and taking turns run by run (never both under load): put throughput
# through all members and through the leader only, linearizable and serializable range, p50/p99,
# and the time from killing the leader to the first write acknowledged by the survivors (mean,
# min and max over --failovers kills; the killed member is restarted before the next). Per row
# it also reports the CPU the three members used per request (warm-up requests included) and, for
# Keel's JVMs, the share of it their JIT compiler threads took, so a run shows whether it measured
# warm members.
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
# per member, keyed "<kind><index>": its pid, client port and peer port
declare -A PID CLIENT PEER
ENDPOINTS_etcd=""; ENDPOINTS_keel=""
cleanup() { local p; for p in "${PID[@]:-}"; do kill -9 "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
KINDS=(etcd keel)

# jiffies of a cluster's members, all threads or only a JVM's JIT compiler threads
source keel-bench/lib/cpu.sh
pids_of() { echo "${PID[${1}0]} ${PID[${1}1]} ${PID[${1}2]}"; }
members_cpu() { sum_cpu proc_cpu $(pids_of "$1"); }
members_jit() { sum_cpu jit_cpu $(pids_of "$1"); }
endpoints() { local v="ENDPOINTS_$1"; echo "${!v}"; }
endpoint() { echo "http://127.0.0.1:${CLIENT[$1$2]}"; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

start_member() { # kind index: (re)starts a member with its data dir as it is
  local kind=$1 i=$2 ic="" j
  for j in 0 1 2; do ic+="${ic:+,}m$j=http://127.0.0.1:${PEER[$kind$j]}"; done
  local flags=(--name "m$i" --data-dir "$OUT/$kind-data/m$i"
    --listen-client-urls "$(endpoint "$kind" "$i")" --advertise-client-urls "$(endpoint "$kind" "$i")"
    --listen-peer-urls "http://127.0.0.1:${PEER[$kind$i]}" --initial-advertise-peer-urls "http://127.0.0.1:${PEER[$kind$i]}"
    --initial-cluster "$ic" --initial-cluster-state new --initial-cluster-token "bench-$kind-$$")
  if [[ $kind == etcd ]]; then etcd "${flags[@]}" >> "$OUT/$kind-m$i.log" 2>&1 &
  else "${KEEL[@]}" "${flags[@]}" >> "$OUT/$kind-m$i.log" 2>&1 & fi
  PID[$kind$i]=$!
}

await_healthy() { # kind: every member answers a linearizable read
  local i ok
  for _ in $(seq 1 240); do
    ok=1
    for i in 0 1 2; do
      etcdctl --endpoints="$(endpoint "$1" "$i")" --command-timeout=2s endpoint health \
        >/dev/null 2>&1 || { ok=0; break; }
    done
    [[ $ok == 1 ]] && return 0
    sleep 0.5
  done
  echo "$1 cluster did not become healthy; see $OUT/$1-m*.log" >&2; exit 1
}

start_cluster() { # kind
  local kind=$1 i
  for i in 0 1 2; do CLIENT[$kind$i]=$(free_port); PEER[$kind$i]=$(free_port); done
  for i in 0 1 2; do start_member "$kind" "$i"; done
  printf -v "ENDPOINTS_$kind" '%s' "$(endpoint "$kind" 0),$(endpoint "$kind" 1),$(endpoint "$kind" 2)"
  await_healthy "$kind"
}

leader_index() { # kind
  etcdctl --endpoints="$(endpoints "$1")" endpoint status -w json 2>/dev/null | python3 -c '
import json,sys
d=json.load(sys.stdin)
for i,e in enumerate(d):
    s=e["Status"]
    if s["leader"]==s["header"]["member_id"]:
        print(i); break'
}

failovers() { # kind: kill the leader FAILOVERS times, restarting it in between
  local kind=$1 k li i survivors
  for k in $(seq 1 "$FAILOVERS"); do
    sleep 2   # a settled cluster: the restarted member caught up, heartbeats flowing
    li=$(leader_index "$kind")
    [[ -n "$li" ]] || { echo "$kind: no leader before failover $k" >&2; exit 1; }
    survivors=""
    for i in 0 1 2; do [[ $i != "$li" ]] && survivors+="${survivors:+,}$(endpoint "$kind" "$i")"; done
    "${BENCH[@]}" failover --endpoints "$survivors" --kill-pid "${PID[$kind$li]}" --label "$kind" \
      >> "$OUT/$kind-failover.jsonl" 2>> "$OUT/$kind-bench.txt" \
      || { echo "$kind: failover $k failed (see $OUT/$kind-bench.txt)" >&2; exit 1; }
    wait "${PID[$kind$li]}" 2>/dev/null || true
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

# the "{all}" and "{leader}" in a row's arguments become the cluster's endpoints
row_args() { # kind args...
  local kind=$1 a; shift
  for a in "$@"; do
    case "$a" in
      "{all}") echo "$(endpoints "$kind")" ;;
      "{leader}") echo "$(endpoint "$kind" "$(leader_index "$kind")")" ;;
      *) echo "$a" ;;
    esac
  done
}

run() { # label args...: REPEAT measured runs of one row per cluster, the clusters taking turns (the
  # first of each pair alternates) so that both meet the same machine; a cluster's CPU per request
  # covers the warm-up and measured requests of its own runs only
  local label=$1; shift
  local r kind c0 j0 args
  declare -A cpu=() jit=() before=()
  for kind in "${KINDS[@]}"; do
    cpu[$kind]=0; jit[$kind]=0; before[$kind]=0
    [[ -f "$OUT/$kind.jsonl" ]] && before[$kind]=$(wc -l < "$OUT/$kind.jsonl")
  done
  for r in $(seq 1 "$REPEAT"); do
    local order=("${KINDS[@]}")
    (( r % 2 == 0 )) && order=("${KINDS[1]}" "${KINDS[0]}")
    for kind in "${order[@]}"; do
      mapfile -t args < <(row_args "$kind" "$@")
      c0=$(members_cpu "$kind"); j0=$(members_jit "$kind")
      "${BENCH[@]}" "${args[@]}" --warmup "$WARMUP" --label "$kind" -q --json-out "$OUT/$kind.jsonl" >> "$OUT/$kind-bench.txt" 2>&1 || true
      cpu[$kind]=$(( cpu[$kind] + $(members_cpu "$kind") - c0 )); jit[$kind]=$(( jit[$kind] + $(members_jit "$kind") - j0 ))
    done
  done
  for kind in "${KINDS[@]}"; do
    tail -n +"$((before[$kind] + 1))" "$OUT/$kind.jsonl" | python3 -c "
import json,statistics,sys
runs=[json.loads(l) for l in sys.stdin if l.strip()]
cpu=${cpu[$kind]}; jit=${jit[$kind]}; hz=$(getconf CLK_TCK)
n=sum(d.get('succeeded',0)+$WARMUP for d in runs)
med=lambda k: statistics.median([d.get(k,0) for d in runs]) if runs else 0
rps=[d.get('rps',0) for d in runs] or [0]
print('$kind|$label|%.0f|%.1f|%.1f|%.0f|%.0f|%.0f-%.0f' % (med('rps'), med('p50_ms'), med('p99_ms'),
      cpu*1e6/hz/n if n else 0, 100.0*jit/cpu if cpu else 0, min(rps), max(rps)))" >> "$OUT/rows.txt"
  done
}

prewarm() { # untimed, the same for both clusters: three JVMs sharing two cores need a few hundred
  # thousand requests before C2 has compiled their hot paths (a cold Keel cluster measures about
  # half its warm throughput); etcd is unaffected
  local w kind c0 j0 hz; hz=$(getconf CLK_TCK)
  for w in $(seq 1 "$PREWARM_ROUNDS"); do
    for kind in "${KINDS[@]}"; do
      c0=$(members_cpu "$kind"); j0=$(members_jit "$kind")
      "${BENCH[@]}" put --endpoints "$(endpoints "$kind")" --conns 10 --clients 100 --total "$TOTAL" --key-space-size 100000 -q > /dev/null 2>&1 || true
      "${BENCH[@]}" range --endpoints "$(endpoints "$kind")" --conns 10 --clients 100 --total "$TOTAL" --consistency l -q > /dev/null 2>&1 || true
      "${BENCH[@]}" range --endpoints "$(endpoints "$kind")" --conns 10 --clients 100 --total "$TOTAL" --consistency s -q > /dev/null 2>&1 || true
      echo "$kind prewarm round $w: members' CPU $(( ($(members_cpu "$kind") - c0) / hz )) s, of which JIT $(( ($(members_jit "$kind") - j0) / hz )) s" \
        | tee -a "$OUT/prewarm.txt"
    done
  done
}

: > "$OUT/rows.txt"
# both clusters run side by side and take turns in every load row: measuring one cluster's rows
# minutes after the other's made the put tail's gap depend on what else the machine did then
for kind in "${KINDS[@]}"; do start_cluster "$kind"; done
# what each cluster costs the other while it waits its turn
IDLE_SECONDS=10
idle_cpu() { # $1: when
  local c_etcd c_keel
  c_etcd=$(members_cpu etcd); c_keel=$(members_cpu keel); sleep "$IDLE_SECONDS"
  echo "idle CPU over ${IDLE_SECONDS} s $1, 3 members: etcd $(( ($(members_cpu etcd) - c_etcd) * 1000 / $(getconf CLK_TCK) )) ms, keel $(( ($(members_cpu keel) - c_keel) * 1000 / $(getconf CLK_TCK) )) ms" \
    | tee -a "$OUT/idle.txt"
}
: > "$OUT/idle.txt"
# right after start Keel's JIT compilers are still at work; after the prewarm the members are warm
idle_cpu "right after start"
if [[ $ONLY_FAILOVER == 0 ]]; then
  prewarm
  idle_cpu "after the prewarm"
  run "put, all members, 10 conns 100 clients" put --endpoints "{all}" --conns 10 --clients 100 --total "$TOTAL" --key-space-size 100000
  run "put, leader only, 10 conns 100 clients" put --endpoints "{leader}" --conns 10 --clients 100 --total "$TOTAL" --key-space-size 100000
  run "range 1 key linearizable, all members" range --endpoints "{all}" --conns 10 --clients 100 --total "$TOTAL" --consistency l
  run "range 1 key serializable, all members" range --endpoints "{all}" --conns 10 --clients 100 --total "$TOTAL" --consistency s
fi
# failovers one cluster at a time, the other one idle as in the load rows
failovers etcd
failovers keel
cleanup
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
