#!/usr/bin/env bash
# put-all p99 on a 3-member keel cluster per JVM GC variant
set -euo pipefail
cd /work/main
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 ETCDCTL_API=3
BASE="-Xss512k -Dio.grpc.netty.shaded.io.netty.leakDetection.level=disabled -Dorg.apache.ratis.thirdparty.io.netty.leakDetection.level=disabled"
declare -A V=(
 [serial]="-XX:+UseSerialGC -Xms8m -XX:MinHeapFreeRatio=5 -XX:MaxHeapFreeRatio=20"
 [zgc]="-XX:+UseZGC"
 [shen]="-XX:+UseShenandoahGC"
 [g1]="-XX:+UseG1GC"
 [g1f]="-XX:+UseG1GC -Xms8m -XX:MinHeapFreeRatio=5 -XX:MaxHeapFreeRatio=20"
 [prio]="-XX:+UseSerialGC -Xms8m -XX:MinHeapFreeRatio=5 -XX:MaxHeapFreeRatio=20 -XX:ThreadPriorityPolicy=1 -XX:CompilerThreadPriority=0"
 [prio10]="-XX:+UseSerialGC -Xms8m -XX:MinHeapFreeRatio=5 -XX:MaxHeapFreeRatio=20 -XX:ThreadPriorityPolicy=1 -XX:CompilerThreadPriority=0 -XX:VMThreadPriority=-10"
)
BENCH=("$JAVA_HOME/bin/java" -XX:TieredStopAtLevel=1 -cp "keel-bench/target/classes:keel-bench/target/lib/*" io.keel.bench.Bench)
fp() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
for name in "$@"; do
  OUT=/tmp/exp/gc-$name-$RANDOM; rm -rf $OUT; mkdir -p $OUT
  export KEEL_JAVA_OPTS="${V[$name]} $BASE -Xlog:gc,gc+cpu,gc+heap=debug:file=$OUT/gc-%p.log"
  declare -a C P PIDS
  for i in 0 1 2; do C[$i]=$(fp); P[$i]=$(fp); done
  ic=""; for j in 0 1 2; do ic+="${ic:+,}m$j=http://127.0.0.1:${P[$j]}"; done
  for i in 0 1 2; do
    bin/keel store --name m$i --data-dir $OUT/d$i --listen-client-urls http://127.0.0.1:${C[$i]} --advertise-client-urls http://127.0.0.1:${C[$i]} \
       --listen-peer-urls http://127.0.0.1:${P[$i]} --initial-advertise-peer-urls http://127.0.0.1:${P[$i]} --initial-cluster $ic --initial-cluster-state new --initial-cluster-token t$$$name > $OUT/m$i.log 2>&1 &
    PIDS[$i]=$!
  done
  ALL="http://127.0.0.1:${C[0]},http://127.0.0.1:${C[1]},http://127.0.0.1:${C[2]}"
  for _ in $(seq 1 120); do etcdctl --endpoints=$ALL endpoint health >/dev/null 2>&1 && break; sleep 0.5; done
  put() { "${BENCH[@]}" put --endpoints "$1" --conns 10 --clients 100 --total 20000 --warmup 10000 --key-space-size 100000 --label "$2" -q --json-out $OUT/r.jsonl > /dev/null 2>&1; }
  for _ in 1 2 3 4 5; do put $ALL prewarm; done
  cpu() { local s=0; for p in "${PIDS[@]}"; do s=$((s + $(awk '{print $14+$15}' /proc/$p/stat))); done; echo $s; }
  c0=$(cpu)
  for _ in 1 2 3 4 5; do put $ALL measured; done
  c1=$(cpu)
  rss=$(for p in "${PIDS[@]}"; do awk '/VmRSS/{print int($2/1024)}' /proc/$p/status; done | tr '\n' ' ')
  for p in "${PIDS[@]}"; do kill -9 $p; done; wait 2>/dev/null || true
  python3 - $OUT/r.jsonl $name $((c1-c0)) "$rss" <<'PY'
import json,sys,statistics as st
v=[json.loads(l) for l in open(sys.argv[1]) if '"measured"' in l]
n=sum(d['succeeded']+10000 for d in v)
print(sys.argv[2], 'rps %.0f' % st.median([d['rps'] for d in v]), 'p50 %.1f' % st.median([d['p50_ms'] for d in v]),
      'p99 %.1f' % st.median([d['p99_ms'] for d in v]), [round(d['p99_ms'],1) for d in v],
      'cpu us/put %.0f' % (int(sys.argv[3])*1e4/n), 'rss MiB', sys.argv[4])
PY
  for f in $OUT/gc-*.log; do python3 - $f <<'PY'
import re,sys
p=[float(m.group(1)) for m in re.finditer(r'Pause[^\n]* ([0-9.]+)ms', open(sys.argv[1]).read())]
p.sort()
if p: print('  pauses', len(p), 'max %.1f' % p[-1], 'p99 %.1f' % p[int(len(p)*0.99)], 'median %.2f' % p[len(p)//2], 'sum %.0f ms' % sum(p))
PY
  done
done
