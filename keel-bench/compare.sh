#!/usr/bin/env bash
# compare.sh: benchmark a Keel store against a real etcd 3.4 in one run.
#
# Starts each server on its own fresh data dir and its own ports, measures its idle RSS,
# warms it up, then runs the keel-bench workloads and `etcdctl check perf --load=m|l`
# against each, and prints a markdown table: per workload, each server's throughput and
# p99, the second/first ratio, and the server CPU each request cost.
#
# Only one server is ever under load. By default both servers are up and the workloads
# alternate between them (etcd put, keel put, keel put-1, etcd put-1, ...), so that both
# sides of each row are measured within seconds of each other: on a shared machine whose
# background load comes and goes, that keeps the ratios honest. --sequential measures one
# server completely, stops it, then the other.
#
# Usage: keel-bench/compare.sh [options]
#   --servers A,B      servers to compare, first is the baseline (default etcd,keel);
#                      `--servers etcd,etcd` validates the harness against etcd alone
#   --out DIR          where logs, JSON lines and the table go
#                      (default keel-bench/target/compare-<timestamp>)
#   --keel-cmd CMD     how to start Keel's store; the etcd flags are appended
#                      (default: bin/keel store if it exists, else java -cp keel-cli ...)
#   --keel-snapshot    copy the source tree (no target/, no .git) to a temp dir, build
#                      keel-cli there and run that copy's bin/keel store: measures a frozen
#                      snapshot, unaffected by (and not disturbing) edits and builds going
#                      on in the working tree
#   --sequential       one server at a time: start, measure everything, stop, then the other
#   --reverse          start with the second server (the table keeps the first as baseline)
#   --quick            smaller totals and no check perf (a ~1 minute smoke run)
#   --prewarm-rounds R rounds of untimed warm-up load (every workload's shape) each server gets
#                      before the first workload (default 4; the JIT compiler share of a
#                      JVM server's CPU is recorded per round and per workload, so a run
#                      shows whether it measured a warm server; 1 measures a nearly cold one)
#   --no-check-perf    skip `etcdctl check perf` (saves 2 minutes per server)
#   --no-build         do not run Maven; use what is in target/
#   --bench-jvm-opts "OPTS"  JVM options of the load generator (default: "-Xms256m -Xmx1g
#                      -XX:TieredStopAtLevel=1"). Each workload runs in a fresh JVM; with C2
#                      it compiled through most of a short run (3 of the 8 CPU-seconds used
#                      while one client's 10,000 puts ran), taking CPUs from the server under
#                      test. C1 alone compiles at once and spends less CPU in all
#                      (BENCHMARKS.md)
#   --only W1,W2       run only these workloads (names: put put-1 range-l range-s range-100
#                      txn watch lease), e.g. --only put,put-1,txn,lease for the write path
#   --table DIR        do not measure: print the table again from DIR/results.jsonl
#                      (give the same --servers as the run that wrote it)
#   --startup-timeout S  seconds a server gets to answer (default 120)
#   --repeat R         run each workload R times per server (alternating servers run by run) and
#                      report the median of each figure, with the runs' throughputs; one run's
#                      p99 moves with a few slow fsyncs (default 1)
#   --quiet-wait S     before each workload, wait up to S seconds (default 20) for the
#                      machine's CPU to be under 30% busy, so that other work on a shared
#                      box does not land in the numbers; the busy share seen and the CPU
#                      used by others during each run are recorded either way
#
# Everything listens on and talks to 127.0.0.1 only. Exit status: 0 if both servers came
# up and every run completed (a failed workload is reported in the table as ERR, not
# fatal); non-zero if a server did not come up or the harness itself failed.
set -Eeuo pipefail
# The whole script is one brace group, so bash parses it all before running any of it:
# editing this file while a comparison runs cannot change the running one.
{

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="$JAVA_HOME/bin/java"
ETCD="${ETCD:-etcd}"
ETCDCTL="${ETCDCTL:-etcdctl}"

SERVERS="etcd,keel"
OUT=""
KEEL_CMD="${KEEL_CMD:-}"
QUICK=0
KEEL_SNAPSHOT=0
REVERSE=0
SEQUENTIAL=0
TABLE_ONLY=0
CHECK_PERF=1
BUILD=1
ONLY=""
STARTUP_TIMEOUT=120
PREWARM_ROUNDS=4
SETTLE_SECONDS=5
QUIET_WAIT=20
QUIET_PCT=30
REPEAT=1
BENCH_JVM_OPTS="-Xms256m -Xmx1g -XX:TieredStopAtLevel=1"
QUIET_BUDGET=30   # seconds of quiet-waiting allowed per server, to keep the run short

while [[ $# -gt 0 ]]; do
  case "$1" in
    --servers) SERVERS="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --keel-cmd) KEEL_CMD="$2"; shift 2 ;;
    --quick) QUICK=1; CHECK_PERF=0; shift ;;
    --prewarm-rounds) PREWARM_ROUNDS="$2"; shift 2 ;;
    --keel-snapshot) KEEL_SNAPSHOT=1; shift ;;
    --reverse) REVERSE=1; shift ;;
    --sequential) SEQUENTIAL=1; shift ;;
    --table) TABLE_ONLY=1; OUT="$2"; shift 2 ;;
    --no-check-perf) CHECK_PERF=0; shift ;;
    --no-build) BUILD=0; shift ;;
    --only) ONLY="$2"; shift 2 ;;
    --startup-timeout) STARTUP_TIMEOUT="$2"; shift 2 ;;
    --quiet-wait) QUIET_WAIT="$2"; shift 2 ;;
    --repeat) REPEAT="$2"; shift 2 ;;
    --bench-jvm-opts) BENCH_JVM_OPTS="$2"; shift 2 ;;
    -h|--help) sed -n '2,56p' "$0"; exit 0 ;;
    *) echo "compare.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

[[ "$REPEAT" =~ ^[1-9][0-9]*$ ]] || { echo "compare.sh: --repeat needs a whole number of at least 1, got '$REPEAT'" >&2; exit 2; }
IFS=, read -r -a SIDES <<<"$SERVERS"
if [[ ${#SIDES[@]} -ne 2 ]]; then
  echo "compare.sh: --servers needs exactly two names (etcd or keel), got '$SERVERS'" >&2
  exit 2
fi
for s in "${SIDES[@]}"; do
  [[ "$s" == etcd || "$s" == keel ]] || { echo "compare.sh: unknown server '$s'" >&2; exit 2; }
done

OUT="${OUT:-$ROOT/keel-bench/target/compare-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
RESULTS="$OUT/results.jsonl"
if [[ $TABLE_ONLY -eq 1 ]]; then
  [[ -s "$RESULTS" ]] || { echo "compare.sh: no results in $RESULTS" >&2; exit 2; }
  grep -q '"case":"perf-m"' "$RESULTS" || CHECK_PERF=0
else
  : >"$RESULTS"
fi
WORK="$(mktemp -d /tmp/keel-compare.XXXXXX)"

log() { printf '[compare %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FATAL: $*"; exit 1; }

# --- cleanup: whatever happens, no server outlives the script ---------------------------
declare -A SPID=() EP=() DDIR=() LPID=()   # per label: started pid, endpoint, data dir, listener pid
cleanup() {
  local rc=$? l p
  for l in "${!SPID[@]}"; do
    p=${SPID[$l]}
    [[ -n "$p" ]] && kill -TERM "$p" 2>/dev/null || true
  done
  for l in "${!SPID[@]}"; do
    p=${SPID[$l]}
    [[ -n "$p" ]] || continue
    for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$p" 2>/dev/null || true
  done
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'log "FAILED: line $LINENO: $BASH_COMMAND (exit $?)"' ERR
trap 'exit 130' INT TERM

# --- build --------------------------------------------------------------------------------
if [[ $TABLE_ONLY -eq 0 ]]; then
MVN_OFFLINE=(-o)
# with KEEL_AOT=1 in the environment (Keel with the JVM's ahead-of-time cache, JDK 25+), has a
# launcher record the cache now, not while a start is timed
record_aot_cache() {
  [[ "${KEEL_AOT:-0}" == 1 ]] || return 0
  "$1" aot-cache >"$OUT/keel-aot-cache.txt" 2>&1 \
    || log "no ahead-of-time cache (see $OUT/keel-aot-cache.txt)"
}

mvn_package() {
  mvn "${MVN_OFFLINE[@]}" -q "$@" package -DskipTests >"$OUT/build.log" 2>&1 \
    || mvn -q "$@" package -DskipTests >>"$OUT/build.log" 2>&1 \
    || { tail -40 "$OUT/build.log" >&2; die "maven build failed: mvn $* (see $OUT/build.log)"; }
}
if [[ $BUILD -eq 1 ]]; then
  log "building keel-bench"
  mvn_package -pl keel-bench
fi
[[ -d keel-bench/target/classes && -d keel-bench/target/lib ]] \
  || die "keel-bench is not built (run: mvn -pl keel-bench package -DskipTests)"

KEEL_START=()
if [[ " ${SIDES[*]} " == *" keel "* ]]; then
  if [[ -n "$KEEL_CMD" ]]; then
    read -r -a KEEL_START <<<"$KEEL_CMD"
  elif [[ $KEEL_SNAPSHOT -eq 1 ]]; then
    SNAP="$WORK/keel-src"
    mkdir -p "$SNAP"
    tar -C "$ROOT" --exclude=./.git --exclude='*/target' -cf - . | tar -xf - -C "$SNAP"
    (cd "$ROOT" && git rev-parse HEAD 2>/dev/null && git status --short 2>/dev/null) \
      >"$OUT/keel-snapshot.txt" || true
    log "building a snapshot of Keel in $SNAP"
    (cd "$SNAP" && mvn -o -q -B -Dmaven.test.skip=true -pl keel-cli -am package \
        || mvn -q -B -Dmaven.test.skip=true -pl keel-cli -am package) >"$OUT/keel-build.log" 2>&1 \
      || { tail -40 "$OUT/keel-build.log" >&2; die "building the Keel snapshot failed"; }
    KEEL_START=("$SNAP/bin/keel" store)
    "$SNAP/bin/keel" --version >"$OUT/keel-version.txt" 2>&1 \
      || { tail -40 "$OUT/keel-version.txt" >&2; die "snapshot bin/keel --version failed"; }
    record_aot_cache "$SNAP/bin/keel"
  elif [[ -x bin/keel ]]; then
    KEEL_START=(bin/keel store)
    # bin/keel builds Keel when its sources changed: let it do so now, not while timed
    log "bin/keel --version (builds Keel if needed)"
    bin/keel --version >"$OUT/keel-version.txt" 2>&1 \
      || { tail -40 "$OUT/keel-version.txt" >&2; die "bin/keel --version failed"; }
    record_aot_cache bin/keel
  else
    if [[ $BUILD -eq 1 ]]; then
      log "bin/keel not found: building keel-cli"
      mvn_package -pl keel-cli -am
    fi
    [[ -d keel-cli/target/classes && -d keel-cli/target/lib ]] || die "keel-cli is not built"
    KEEL_START=("$JAVA" -cp "keel-cli/target/classes:keel-cli/target/lib/*" io.keel.cli.Keel store)
  fi
fi

read -r -a JVM_OPTS <<<"$BENCH_JVM_OPTS"
if "$JAVA" --sun-misc-unsafe-memory-access=allow -version >/dev/null 2>&1; then
  JVM_OPTS+=(--sun-misc-unsafe-memory-access=allow)
fi
# run the load generator from a private copy: a rebuild of keel-bench in the working tree
# during the run must not pull jars from under it
mkdir -p "$WORK/bench"
cp -r keel-bench/target/classes keel-bench/target/lib "$WORK/bench/"
BENCH=("$JAVA" "${JVM_OPTS[@]}" -cp "$WORK/bench/classes:$WORK/bench/lib/*" io.keel.bench.Bench)
fi

# --- workloads ----------------------------------------------------------------------------
# name | what the table calls it | keel-bench arguments
if [[ $QUICK -eq 1 ]]; then
  S=10   # divide totals by this
else
  S=1
fi
WORKLOADS=(
  "put|put, 10 conns, 100 clients, random keys|put --conns 10 --clients 100 --total $((20000 / S)) --warmup $((10000 / S)) --key-space-size 100000"
  "put-1|put, 1 conn, 1 client (latency)|put --conns 1 --clients 1 --total $((10000 / S)) --warmup $((2000 / S)) --key-space-size 100000 --sequential-keys"
  "range-l|range 1 key, linearizable|range foo --consistency l --conns 10 --clients 100 --total $((20000 / S)) --warmup $((10000 / S))"
  "range-s|range 1 key, serializable|range foo --consistency s --conns 10 --clients 100 --total $((20000 / S)) --warmup $((10000 / S))"
  "range-100|range 100 keys (prefix), serializable|range /keel-bench/range/ --prefix --prepare 100 --consistency s --conns 10 --clients 100 --total $((5000 / S)) --warmup $((2500 / S))"
  "txn|txn-put, 4 puts + 1 compare|txn --txn-ops 4 --with-compare --key-space-size 100000 --conns 10 --clients 100 --total $((10000 / S)) --warmup $((5000 / S))"
  "watch|watch fan-out, 1000 watchers, 100 keys (events)|watch --watchers 1000 --streams 10 --keys 100 --conns 10 --clients 50 --total $((5000 / S)) --warmup $((2500 / S))"
  "lease|lease churn: grant+keepalive+revoke (cycles)|lease --conns 10 --clients 50 --total $((5000 / S)) --warmup $((2500 / S))"
)

if [[ -n "$ONLY" ]]; then
  SELECTED=()
  for w in "${WORKLOADS[@]}"; do
    [[ ",$ONLY," == *",${w%%|*},"* ]] && SELECTED+=("$w")
  done
  [[ ${#SELECTED[@]} -gt 0 ]] || { echo "compare.sh: --only matched no workload: $ONLY" >&2; exit 2; }
  WORKLOADS=("${SELECTED[@]}")
fi

# untimed load of every workload's shape each server gets PREWARM_ROUNDS times after its idle RSS
# is taken and before the first measured workload, so that a JVM server is measured after JIT
# warm-up (etcd gets the same). On 2 cores C2 needs a few hundred thousand requests: after one
# round of 30,000 puts it still took a third of Keel's CPU during the put workload (2026-11-26)
PREWARM=(
  "put --conns 10 --clients 100 --total $((30000 / S)) --key-space-size 100000"
  "range foo --consistency s --conns 10 --clients 100 --total $((20000 / S))"
  "range foo --consistency l --conns 10 --clients 100 --total $((10000 / S))"
  "txn --txn-ops 4 --with-compare --key-space-size 100000 --conns 10 --clients 100 --total $((5000 / S))"
  "put --conns 1 --clients 1 --total $((2000 / S)) --key-space-size 100000 --sequential-keys"
  "watch --watchers 1000 --streams 10 --keys 100 --conns 10 --clients 50 --total $((2500 / S))"
  "lease --conns 10 --clients 50 --total $((2500 / S))"
)

# --- helpers ------------------------------------------------------------------------------
port_free() { ! ss -Htln "sport = :$1" 2>/dev/null | grep -q .; }
pick_port() {
  local p=$1
  while ! port_free "$p" || ! port_free "$((p + 1))"; do p=$((p + 2)); done
  echo "$p"
}

# the process listening on a TCP port (the JVM even if started through a wrapper script)
listener_pid() {
  { ss -Htlnp "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2; } || true
}

HZ=$(getconf CLK_TCK)
NCPU=$(nproc)
# busy jiffies of the whole machine (user nice system irq softirq steal)
cpu_busy() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }
# proc_cpu PID, jit_cpu PID: a process's jiffies, all threads or only its JIT compiler threads
source "$ROOT/keel-bench/lib/cpu.sh"
jiffies_s() { awk -v a="$1" -v b="$2" -v hz="$HZ" 'BEGIN { printf "%.2f", (b - a) / hz }'; }

# wait until the machine is quiet (< QUIET_PCT% busy over a second) or QUIET_WAIT passed;
# prints the last busy percentage seen
# (QUIET_LEFT, the per-server budget, is decremented by the caller from the time taken)
wait_quiet() {
  local limit=$QUIET_WAIT
  (( QUIET_LEFT < limit )) && limit=$QUIET_LEFT
  local deadline=$((SECONDS + limit)) b0 b1 pct
  while :; do
    b0=$(cpu_busy); sleep 1; b1=$(cpu_busy)
    pct=$(( (b1 - b0) * 100 / (HZ * NCPU) ))
    if (( pct < QUIET_PCT || SECONDS >= deadline )); then
      echo "$pct"
      return
    fi
  done
}

# report_number FILE LINE-PATTERN NUMBER-PATTERN: last number on a matching report line
report_number() {
  tr '\r' '\n' <"$1" | grep -E "$2" | grep -oE "$3" | tail -1 || true
}

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
hwm_kib() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# json_field FILE LABEL WORKLOAD FIELD: a field of the last JSON line for label+workload
json_field() {
  jq -r --arg lbl "$2" --arg w "$3" --arg f "$4" \
    'select(.label == $lbl and .case == $w) | .[$f] // empty' "$1" 2>/dev/null | tail -1 || true
}

runs_of() { # runs_of LABEL CASE: the throughput of each run the median line of a workload covers
  jq -r --arg lbl "$1" --arg w "$2" 'select(.label == $lbl and .case == $w and .runs_throughput)
    | .runs_throughput | map(floor | tostring) | join(", ")' "$RESULTS" 2>/dev/null | tail -1 || true
}

record() { # record LABEL CASE JSON-OBJECT-FIELDS...: append one JSON line to results
  local label=$1 case=$2; shift 2
  jq -nc --arg lbl "$label" --arg cs "$case" "{\"label\": \$lbl, \"case\": \$cs} + ($*)" >>"$RESULTS"
}

start_server() { # start_server KIND LABEL: start it, wait until it answers
  local kind=$1 label=$2
  local cport; cport=$(pick_port 32379)
  local pport=$((cport + 1))
  local endpoint="http://127.0.0.1:$cport"
  local peer="http://127.0.0.1:$pport"
  local data="$WORK/$label-data"
  rm -rf "$data"
  mkdir -p "$data"
  local flags=(--name default --data-dir "$data"
    --listen-client-urls "$endpoint" --advertise-client-urls "$endpoint"
    --listen-peer-urls "$peer" --initial-advertise-peer-urls "$peer"
    --initial-cluster "default=$peer" --initial-cluster-state new)
  local cmd
  if [[ $kind == etcd ]]; then
    cmd=("$ETCD" "${flags[@]}")
  else
    cmd=("${KEEL_START[@]}" "${flags[@]}")
  fi
  printf '%q ' "${cmd[@]}" >"$OUT/$label.cmdline"; echo >>"$OUT/$label.cmdline"
  log "starting $label: ${cmd[*]}"
  local t0; t0=$(date +%s.%N)
  "${cmd[@]}" >"$OUT/$label.log" 2>&1 &
  SPID[$label]=$!
  EP[$label]=$endpoint
  DDIR[$label]=$data
  local deadline=$((SECONDS + STARTUP_TIMEOUT))
  # a short dial timeout and poll: a probe of a port not yet open costs its whole dial timeout
  until "$ETCDCTL" --endpoints "$endpoint" --dial-timeout 200ms --command-timeout 2s \
      get /keel-bench/probe >/dev/null 2>&1; do
    if ! kill -0 "${SPID[$label]}" 2>/dev/null; then
      wait "${SPID[$label]}" 2>/dev/null || true
      tail -40 "$OUT/$label.log" >&2
      die "$label exited during startup (log: $OUT/$label.log)"
    fi
    if (( SECONDS > deadline )); then
      tail -40 "$OUT/$label.log" >&2
      die "$label did not answer on $endpoint within ${STARTUP_TIMEOUT}s (log: $OUT/$label.log)"
    fi
    sleep 0.05
  done
  local up; up=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
  log "$label answers on $endpoint after ${up}s"
  record "$label" startup "{startup_s: $up}"
  local lp; lp=$(listener_pid "$cport")
  LPID[$label]=${lp:-${SPID[$label]}}
}

server_alive() { [[ -n "${SPID[$1]:-}" ]] && kill -0 "${SPID[$1]}" 2>/dev/null; }

side_up() { # side_up KIND LABEL: start, idle RSS and CPU, untimed warm-up
  local kind=$1 label=$2
  start_server "$kind" "$label"
  local pid=${LPID[$label]}
  local c0; c0=$(proc_cpu "$pid")
  sleep "$SETTLE_SECONDS"
  local rss c1; rss=$(rss_kib "$pid"); c1=$(proc_cpu "$pid")
  local idle_pct=$(( (c1 - c0) * 100 / (HZ * SETTLE_SECONDS) ))
  log "$label idle RSS: $((rss / 1024)) MiB, idle CPU ${idle_pct}% of a core (pid $pid)"
  record "$label" idle-rss "{rss_kib: $rss, pid: $pid, idle_cpu_pct: $idle_pct}"

  local p r pw0 pw1 j0 j1 t0=$SECONDS
  for r in $(seq 1 "$PREWARM_ROUNDS"); do
    pw0=$(proc_cpu "$pid"); j0=$(jit_cpu "$pid")
    for p in "${PREWARM[@]}"; do
      # shellcheck disable=SC2086
      "${BENCH[@]}" $p --endpoints "${EP[$label]}" --label "$label-prewarm" -q --timeout 240 \
        >>"$OUT/$label-bench.txt" 2>&1 || log "$label: prewarm '$p' failed (see $label-bench.txt)"
    done
    pw1=$(proc_cpu "$pid"); j1=$(jit_cpu "$pid")
    log "$label: prewarm round $r: server CPU $(jiffies_s "$pw0" "$pw1") s, of which JIT $(jiffies_s "$j0" "$j1") s"
    record "$label" prewarm "{round: $r, server_cpu_s: $(jiffies_s "$pw0" "$pw1"), server_jit_cpu_s: $(jiffies_s "$j0" "$j1")}"
  done
  log "$label: prewarm done in $((SECONDS - t0)) s"
}

run_workload() { # run_workload LABEL NAME ARGS
  local label=$1 name=$2 args=$3
  local pid=${LPID[$label]}
  if ! server_alive "$label"; then
    log "$label is dead: skipping $name"
    record "$label" "$name" '{ok: false, error: "server not running"}'
    return 0
  fi
  local busy qt0=$SECONDS; busy=$(wait_quiet)
  QUIET_LEFT=$((QUIET_LEFT - (SECONDS - qt0) + 1))
  (( QUIET_LEFT < 0 )) && QUIET_LEFT=0
  (( busy >= QUIET_PCT )) && log "machine still ${busy}% busy (others' work): running anyway"
  log "$label: $name: keel-bench $args"
  local tmp="$WORK/$label-$name.json" tf="$WORK/$label-$name.time"
  rm -f "$tmp"
  local rc=0 b0 s0 b1 s1 j0 j1
  b0=$(cpu_busy); s0=$(proc_cpu "$pid"); j0=$(jit_cpu "$pid")
  # shellcheck disable=SC2086
  /usr/bin/time -f '%e %U %S' -o "$tf" \
    "${BENCH[@]}" $args --endpoints "${EP[$label]}" --label "$label" --json-out "$tmp" \
    --timeout 240 >>"$OUT/$label-bench.txt" 2>&1 || rc=$?
  b1=$(cpu_busy); s1=$(proc_cpu "$pid"); j1=$(jit_cpu "$pid")
  local cpu
  cpu=$(awk -v b0="$b0" -v b1="$b1" -v s0="$s0" -v s1="$s1" -v j0="$j0" -v j1="$j1" -v hz="$HZ" -v busy="$busy" '
    NR == 1 && NF == 3 {
      server = (s1 - s0) / hz; bench = $2 + $3; total = (b1 - b0) / hz
      other = total - server - bench; if (other < 0) other = 0
      printf "{\"wall_s\": %.2f, \"server_cpu_s\": %.2f, \"server_jit_cpu_s\": %.2f, \"bench_cpu_s\": %.2f, \"other_cpu_s\": %.2f, \"busy_before_pct\": %d}", $1, server, (j1 - j0) / hz, bench, other, busy
    }' "$tf" 2>/dev/null || true)
  [[ -n "$cpu" ]] || cpu='{}'
  if [[ -s "$tmp" ]]; then
    # the server's CPU covers the untimed warm-up requests too: count them in the per-request cost
    local warmup=0
    [[ " $args " =~ \ --warmup\ ([0-9]+)\  ]] && warmup=${BASH_REMATCH[1]}
    jq -c --arg cs "$name" --argjson rc "$rc" --argjson cpu "$cpu" --argjson warmup "$warmup" \
      '. + {case: $cs, exit: $rc, warmup: $warmup} + $cpu
       + (if ($cpu.server_cpu_s != null and (.succeeded // 0) > 0)
          then {server_cpu_us_per_req: ($cpu.server_cpu_s * 1e6 / (.succeeded + $warmup) | floor)} else {} end)' \
      "$tmp" >>"$RESULTS"
  else
    record "$label" "$name" "{ok: false, exit: $rc, error: \"no result (see $label-bench.txt)\"}"
  fi
  local j; j=$(tail -1 "$RESULTS")
  log "$label: $name: $(jq -r '"ok=\(.ok) rps=\(.rps // "-") p99=\(.p99_ms // "-")ms errors=\(.errors // "-") server_cpu=\(.server_cpu_s // "-")s other_cpu=\(.other_cpu_s // "-")s" + (if .events_per_s then " events/s=\(.events_per_s) event_p99=\(.event_p99_ms)ms" else "" end) + (if .error then " error=\(.error)" elif .first_error then " first_error=\(.first_error)" else "" end)' <<<"$j" || true)"
}

summarize() { # summarize LABEL NAME: after REPEAT runs, one line with the median of each figure
  (( REPEAT > 1 )) || return 0
  jq -c -s --arg l "$1" --arg w "$2" --argjson r "$REPEAT" '
    def median: sort | if length % 2 == 1 then .[length / 2 | floor]
      else (.[length / 2 - 1] + .[length / 2]) / 2 end;
    [.[] | select(.label == $l and .case == $w and .median_of == null)] | .[-$r:] as $runs
    | reduce ("rps", "p50_ms", "p99_ms", "p999_ms", "events_per_s", "event_p99_ms",
        "server_cpu_s", "server_jit_cpu_s", "bench_cpu_s", "other_cpu_s",
        "server_cpu_us_per_req") as $f
        ({label: $l, case: $w, median_of: ($runs | length), ok: ($runs | all(.ok == true)),
          runs_throughput: [$runs[] | (.events_per_s // .rps)]};
         ([$runs[] | .[$f] | numbers]) as $v
         | if ($v | length) > 0 then . + {($f): ($v | median)} else . end)' "$RESULTS" >>"$RESULTS"
  log "$1: $2: median of $REPEAT runs: $(tail -1 "$RESULTS")"
}

run_perf() { # run_perf LABEL LOAD: etcdctl check perf
  local label=$1 load=$2
  local pid=${LPID[$label]}
  if ! server_alive "$label"; then
    record "$label" "perf-$load" '{ok: false, error: "server not running"}'
    return 0
  fi
  log "$label: etcdctl check perf --load=$load (60 s)"
  local f="$OUT/$label-check-perf-$load.txt"
  local rc=0 ps0 ps1
  ps0=$(proc_cpu "$pid")
  "$ETCDCTL" --endpoints "${EP[$label]}" check perf --load="$load" >"$f" 2>&1 || rc=$?
  ps1=$(proc_cpu "$pid")
  # progress bars use \r: keep only the report lines. etcdctl 3.4 prints e.g. "PASS:
  # Throughput is 967 writes/s" or "FAIL: Throughput too low: 4272 writes/s", "PASS:
  # Slowest request took 0.16s" or "Slowest request took too long: 0.97s", "PASS: Stddev
  # is 0.05s" or "Stddev too high: 0.2s"
  local tp slow sd verdict
  tp=$(report_number "$f" 'Throughput' '[0-9]+')
  slow=$(report_number "$f" 'Slowest request' '[0-9]+\.[0-9]+')
  sd=$(report_number "$f" 'Stddev' '[0-9]+\.[0-9]+')
  verdict=$(tr '\r' '\n' <"$f" | grep -E '^(PASS|FAIL)$' | tail -1 || true)
  record "$label" "perf-$load" "{ok: ($rc == 0), exit: $rc, writes_per_s: ${tp:-null}, slowest_s: ${slow:-null}, stddev_s: ${sd:-null}, verdict: \"${verdict:-none}\", server_cpu_s: $(awk -v a="$ps0" -v b="$ps1" -v hz="$HZ" 'BEGIN { printf "%.2f", (b - a) / hz }')}"
  log "$label: check perf $load: ${tp:-?} writes/s, slowest ${slow:-?}s, ${verdict:-no verdict} (rc $rc)"
}

side_down() { # side_down LABEL: final RSS, GC, data dir size, stop
  local label=$1
  local pid=${LPID[$label]} p=${SPID[$label]}
  if server_alive "$label"; then
    record "$label" after-rss "{rss_kib: $(rss_kib "$pid"), hwm_kib: $(hwm_kib "$pid")}"
    # a JVM server: its garbage collector's counts and pause totals over the whole run
    if [[ "$(readlink "/proc/$pid/exe" 2>/dev/null)" == */java && -x "$JAVA_HOME/bin/jstat" ]]; then
      local gc
      gc=$("$JAVA_HOME/bin/jstat" -gcutil "$pid" 2>/dev/null | awk 'NR == 1 { for (i = 1; i <= NF; i++) h[i] = $i }
        NR == 2 { for (i = 1; i <= NF; i++) v[h[i]] = $i
          printf "{\"ygc\": %d, \"ygct_s\": %s, \"fgc\": %d, \"fgct_s\": %s}", v["YGC"], v["YGCT"], v["FGC"], v["FGCT"] }' || true)
      [[ -n "$gc" ]] && record "$label" gc "$gc"
    fi
  else
    log "$label was not running any more at the end"
    record "$label" died '{}'
  fi
  local du_kib; du_kib=$(du -sk "${DDIR[$label]}" | cut -f1)
  record "$label" data-dir "{du_kib: $du_kib}"
  kill -TERM "$p" 2>/dev/null || true
  local i
  for i in $(seq 1 75); do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
  if kill -0 "$p" 2>/dev/null; then
    log "$label did not stop within 15s of SIGTERM: killing it"
    record "$label" shutdown '{clean: false}'
    kill -KILL "$p" 2>/dev/null || true
  else
    record "$label" shutdown '{clean: true}'
  fi
  wait "$p" 2>/dev/null || true
  unset "SPID[$label]"
  # lines of the server's log that mention an exception, error or panic
  grep -ciE 'exception|error|panic' "$OUT/$label.log" >"$OUT/$label.log-errors" || true
  rm -rf "${DDIR[$label]}"
}

# a server name used twice gets a suffix so both sides keep their own rows
LABEL_A=${SIDES[0]}
LABEL_B=${SIDES[1]}
[[ $LABEL_A == "$LABEL_B" ]] && LABEL_A="${LABEL_A}-a" && LABEL_B="${LABEL_B}-b"

# --- run ----------------------------------------------------------------------------------
if [[ $TABLE_ONLY -eq 0 ]]; then
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "memory: $(free -h | awk '/^Mem:/ {print $2}')"
  echo "disk: $(df -h "$WORK" | awk 'NR==2 {print $1" "$2" ("$5" used)"}'), data dirs under $(dirname "$WORK")"
  echo "kernel: $(uname -r)"
  echo "jdk: $("$JAVA" -version 2>&1 | head -1)"
  echo "etcd: $("$ETCD" --version | head -1)"
  echo "etcdctl: $("$ETCDCTL" version | head -1)"
  echo "servers: ${SIDES[*]} ($([[ $SEQUENTIAL -eq 1 ]] && echo "sequential" || echo "interleaved, workload by workload"), $([[ $REVERSE -eq 1 ]] && echo "${SIDES[1]} first" || echo "${SIDES[0]} first"))"
} >"$OUT/machine.txt"

T_START=$SECONDS
FIRST_KIND=${SIDES[0]} FIRST=$LABEL_A SECOND_KIND=${SIDES[1]} SECOND=$LABEL_B
if [[ $REVERSE -eq 1 ]]; then
  FIRST_KIND=${SIDES[1]} FIRST=$LABEL_B SECOND_KIND=${SIDES[0]} SECOND=$LABEL_A
fi
QUIET_LEFT=$((QUIET_BUDGET * 2))
if [[ $SEQUENTIAL -eq 1 ]]; then
  for side in "$FIRST_KIND:$FIRST" "$SECOND_KIND:$SECOND"; do
    side_up "${side%%:*}" "${side#*:}"
    for w in "${WORKLOADS[@]}"; do
      IFS='|' read -r name _ args <<<"$w"
      for _ in $(seq "$REPEAT"); do run_workload "${side#*:}" "$name" "$args"; done
      summarize "${side#*:}" "$name"
    done
    if [[ $CHECK_PERF -eq 1 ]]; then
      run_perf "${side#*:}" m
      run_perf "${side#*:}" l
    fi
    side_down "${side#*:}"
  done
else
  side_up "$FIRST_KIND" "$FIRST"
  side_up "$SECOND_KIND" "$SECOND"
  # alternate which server goes first, so that neither always follows the other's load
  n=0
  for w in "${WORKLOADS[@]}"; do
    IFS='|' read -r name _ args <<<"$w"
    for _ in $(seq "$REPEAT"); do
      if (( n % 2 == 0 )); then order=("$FIRST" "$SECOND"); else order=("$SECOND" "$FIRST"); fi
      for l in "${order[@]}"; do run_workload "$l" "$name" "$args"; done
      n=$((n + 1))
    done
    summarize "$FIRST" "$name"; summarize "$SECOND" "$name"
  done
  if [[ $CHECK_PERF -eq 1 ]]; then
    run_perf "$FIRST" m; run_perf "$SECOND" m
    run_perf "$SECOND" l; run_perf "$FIRST" l
  fi
  side_down "$FIRST"
  side_down "$SECOND"
fi
log "measurements done in $((SECONDS - T_START)) s"
fi

# --- table --------------------------------------------------------------------------------
fmt() { # number with sensible precision, or "-"
  [[ -z "${1:-}" || "$1" == null ]] && { echo "-"; return; }
  awk -v v="$1" 'BEGIN { if (v >= 100) printf "%.0f", v; else if (v >= 10) printf "%.1f", v; else printf "%.2f", v }'
}
ratio() {
  [[ -z "${1:-}" || -z "${2:-}" || "$1" == null || "$2" == null ]] && { echo "-"; return; }
  awk -v a="$1" -v b="$2" 'BEGIN { if (a == 0) print "-"; else printf "%.2f", b / a }'
}
cell_ok() { # "ok" or "ERR" for a workload of a label
  local ok; ok=$(json_field "$RESULTS" "$1" "$2" ok)
  [[ "$ok" == true ]] && echo ok || echo ERR
}

TABLE="$OUT/table.md"
{
  runs=$(jq -s '[.[] | .median_of // empty] | max // 1' "$RESULTS" 2>/dev/null || echo 1)
  if [[ "$runs" != 1 ]]; then
    echo "Each workload row: the median of $runs runs per server (runs alternating between the servers)."
    echo
  fi
  echo "| workload | $LABEL_A throughput | $LABEL_A p99 ms | $LABEL_B throughput | $LABEL_B p99 ms | $LABEL_B/$LABEL_A throughput | $LABEL_B/$LABEL_A p99 |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  for w in "${WORKLOADS[@]}"; do
    IFS='|' read -r name title _ <<<"$w"
    tf=rps; pf=p99_ms; unit="req/s"
    case $name in
      watch) tf=events_per_s; pf=event_p99_ms; unit="events/s" ;;
      lease) unit="cycles/s" ;;
      txn) unit="txn/s" ;;
    esac
    ta=$(json_field "$RESULTS" "$LABEL_A" "$name" $tf); pa=$(json_field "$RESULTS" "$LABEL_A" "$name" $pf)
    tb=$(json_field "$RESULTS" "$LABEL_B" "$name" $tf); pb=$(json_field "$RESULTS" "$LABEL_B" "$name" $pf)
    oa=$(cell_ok "$LABEL_A" "$name"); ob=$(cell_ok "$LABEL_B" "$name")
    sa=""; sb=""
    [[ $oa == ERR ]] && sa=" (ERR)"
    [[ $ob == ERR ]] && sb=" (ERR)"
    echo "| $title | $(fmt "$ta") $unit$sa | $(fmt "$pa") | $(fmt "$tb") $unit$sb | $(fmt "$pb") | $(ratio "$ta" "$tb") | $(ratio "$pa" "$pb") |"
  done
  if [[ $CHECK_PERF -eq 1 ]]; then
    for load in m l; do
      ta=$(json_field "$RESULTS" "$LABEL_A" "perf-$load" writes_per_s); pa=$(json_field "$RESULTS" "$LABEL_A" "perf-$load" slowest_s)
      tb=$(json_field "$RESULTS" "$LABEL_B" "perf-$load" writes_per_s); pb=$(json_field "$RESULTS" "$LABEL_B" "perf-$load" slowest_s)
      va=$(json_field "$RESULTS" "$LABEL_A" "perf-$load" verdict); vb=$(json_field "$RESULTS" "$LABEL_B" "perf-$load" verdict)
      ma=""; mb=""
      [[ -n "$pa" && "$pa" != null ]] && ma=$(awk -v v="$pa" 'BEGIN{printf "%.0f", v*1000}')
      [[ -n "$pb" && "$pb" != null ]] && mb=$(awk -v v="$pb" 'BEGIN{printf "%.0f", v*1000}')
      echo "| etcdctl check perf --load=$load (p99 column: slowest request) | $(fmt "$ta") writes/s ${va:-?} | ${ma:--} | $(fmt "$tb") writes/s ${vb:-?} | ${mb:--} | $(ratio "$ta" "$tb") | $(ratio "$ma" "$mb") |"
    done
  fi
  ra=$(json_field "$RESULTS" "$LABEL_A" idle-rss rss_kib); rb=$(json_field "$RESULTS" "$LABEL_B" idle-rss rss_kib)
  echo "| idle RSS (after startup + ${SETTLE_SECONDS}s) | $(fmt "$(awk -v v="${ra:-0}" 'BEGIN{print v/1024}')") MiB | | $(fmt "$(awk -v v="${rb:-0}" 'BEGIN{print v/1024}')") MiB | | $(ratio "$ra" "$rb") | |"
  ha=$(json_field "$RESULTS" "$LABEL_A" after-rss hwm_kib); hb=$(json_field "$RESULTS" "$LABEL_B" after-rss hwm_kib)
  echo "| peak RSS (VmHWM, after all runs) | $(fmt "$(awk -v v="${ha:-0}" 'BEGIN{print v/1024}')") MiB | | $(fmt "$(awk -v v="${hb:-0}" 'BEGIN{print v/1024}')") MiB | | $(ratio "$ha" "$hb") | |"
  ia=$(json_field "$RESULTS" "$LABEL_A" idle-rss idle_cpu_pct); ib=$(json_field "$RESULTS" "$LABEL_B" idle-rss idle_cpu_pct)
  echo "| idle CPU (% of one core, during those ${SETTLE_SECONDS}s) | ${ia:--} % | | ${ib:--} % | | | |"
  for l in "$LABEL_A" "$LABEL_B"; do
    g=$(jq -r --arg lbl "$l" 'select(.label == $lbl and .case == "gc") | "\(.ygc) young GCs \(.ygct_s) s, \(.fgc) full GCs \(.fgct_s) s"' "$RESULTS" 2>/dev/null | tail -1 || true)
    if [[ -n "$g" && $l == "$LABEL_A" ]]; then echo "| JVM GC over the whole run | $g | | | | | |"; fi
    if [[ -n "$g" && $l == "$LABEL_B" ]]; then echo "| JVM GC over the whole run | | | $g | | | |"; fi
  done
  da=$(json_field "$RESULTS" "$LABEL_A" data-dir du_kib); db=$(json_field "$RESULTS" "$LABEL_B" data-dir du_kib)
  echo "| data dir after all runs | $(fmt "$(awk -v v="${da:-0}" 'BEGIN{print v/1024}')") MiB | | $(fmt "$(awk -v v="${db:-0}" 'BEGIN{print v/1024}')") MiB | | $(ratio "$da" "$db") | |"
  sa=$(json_field "$RESULTS" "$LABEL_A" startup startup_s); sb=$(json_field "$RESULTS" "$LABEL_B" startup startup_s)
  echo "| startup to first answer | $(fmt "$sa") s | | $(fmt "$sb") s | | $(ratio "$sa" "$sb") | |"
  if [[ "$runs" != 1 ]]; then
    echo
    echo "Each run's throughput:"
    echo
    echo "| workload | $LABEL_A runs | $LABEL_B runs |"
    echo "|---|---|---|"
    for w in "${WORKLOADS[@]}"; do
      IFS='|' read -r name title _ <<<"$w"
      echo "| $title | $(runs_of "$LABEL_A" "$name") | $(runs_of "$LABEL_B" "$name") |"
    done
  fi
  echo
  echo "Server CPU per request (CPU seconds the server process used during the run / requests; lower is better), and CPU used by other processes on the machine during each run (noise):"
  echo
  echo "| workload | $LABEL_A µs/req | $LABEL_B µs/req | $LABEL_B/$LABEL_A | $LABEL_A server CPU s (JIT) / others' CPU s | $LABEL_B server CPU s (JIT) / others' CPU s |"
  echo "|---|---:|---:|---:|---:|---:|"
  for w in "${WORKLOADS[@]}"; do
    IFS='|' read -r name title _ <<<"$w"
    ua=$(json_field "$RESULTS" "$LABEL_A" "$name" server_cpu_us_per_req); ub=$(json_field "$RESULTS" "$LABEL_B" "$name" server_cpu_us_per_req)
    ca=$(json_field "$RESULTS" "$LABEL_A" "$name" server_cpu_s); cb=$(json_field "$RESULTS" "$LABEL_B" "$name" server_cpu_s)
    oa=$(json_field "$RESULTS" "$LABEL_A" "$name" other_cpu_s); ob=$(json_field "$RESULTS" "$LABEL_B" "$name" other_cpu_s)
    ja=$(json_field "$RESULTS" "$LABEL_A" "$name" server_jit_cpu_s); jb=$(json_field "$RESULTS" "$LABEL_B" "$name" server_jit_cpu_s)
    echo "| $title | ${ua:--} | ${ub:--} | $(ratio "$ua" "$ub") | ${ca:--} (${ja:--}) / ${oa:--} | ${cb:--} (${jb:--}) / ${ob:--} |"
  done
} >"$TABLE"

cat "$OUT/machine.txt"
echo
cat "$TABLE"
echo
echo "results: $OUT (results.jsonl, table.md, server logs, bench output)"
for l in "$LABEL_A" "$LABEL_B"; do
  n=$(cat "$OUT/$l.log-errors" 2>/dev/null || echo 0)
  [[ "$n" != 0 ]] && echo "note: $l's log has $n lines matching exception|error|panic: $OUT/$l.log"
done
exit 0
}
