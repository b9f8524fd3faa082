#!/usr/bin/env bash
# one keel member; prewarm with 100-client puts, then one-client put rounds; JIT compilations (-XX:+PrintCompilation) in keel.log
set -euo pipefail
cd /work/main
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 ETCDCTL_API=3
OUT=${1:-/tmp/exp/deopt}; ROUNDS=${2:-14}
rm -rf $OUT; mkdir -p $OUT
BASE="-XX:+UseSerialGC -Xms8m -XX:MinHeapFreeRatio=5 -XX:MaxHeapFreeRatio=20 -Xss512k -Dio.grpc.netty.shaded.io.netty.leakDetection.level=disabled -Dorg.apache.ratis.thirdparty.io.netty.leakDetection.level=disabled --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
BENCH=("$JAVA_HOME/bin/java" -XX:TieredStopAtLevel=1 -cp "keel-bench/target/classes:keel-bench/target/lib/*" io.keel.bench.Bench)
KEEL_JAVA_OPTS="$BASE ${EXTRA:-} -XX:+PrintCompilation -Xlog:gc:file=$OUT/gc.log:uptime" bin/keel store --data-dir $OUT/d --listen-client-urls http://127.0.0.1:25379 --listen-peer-urls http://127.0.0.1:25380 > $OUT/keel.log 2>&1 &
PID=$!
for _ in $(seq 1 120); do etcdctl --endpoints=http://127.0.0.1:25379 endpoint health >/dev/null 2>&1 && break; sleep 0.5; done
for _ in 1 2 3 4; do "${BENCH[@]}" put --endpoints http://127.0.0.1:25379 --conns 10 --clients 100 --total 20000 --warmup 2000 --key-space-size 100000 -q > /dev/null 2>&1; done
for _ in 1 2; do "${BENCH[@]}" put --endpoints http://127.0.0.1:25379 --conns 1 --clients 1 --total 10000 --warmup 2000 --key-space-size 100000 --sequential-keys -q > /dev/null 2>&1; done
echo "prewarm done at $(date +%T.%N | cut -c1-12)"
for r in $(seq 1 $ROUNDS); do
  t0=$(date +%T.%N | cut -c1-12)
  c0=$(awk '{print $14+$15}' /proc/$PID/stat)
  out=$("${BENCH[@]}" put --endpoints http://127.0.0.1:25379 --conns 1 --clients 1 --total 10000 --warmup 2000 --key-space-size 100000 --sequential-keys -q 2>/dev/null | tail -1)
  c1=$(awk '{print $14+$15}' /proc/$PID/stat)
  echo "$r $t0 $(echo "$out" | python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); print("rps %.0f p50 %.3f p99 %.3f" % (d["rps"], d["p50_ms"], d["p99_ms"]))') cpu_ticks $((c1-c0))"
done
kill $PID; wait 2>/dev/null || true
