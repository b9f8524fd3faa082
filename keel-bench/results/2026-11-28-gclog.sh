#!/usr/bin/env bash
# 3-member keel cluster, put load through all members, GC and safepoint log per member (gc-m<i>.log)
set -euo pipefail
cd /work/main
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 ETCDCTL_API=3
OUT=${1:-/tmp/exp/alloc}; MODE=${2:-all}
rm -rf $OUT; mkdir -p $OUT
BASE="-XX:+UseSerialGC -Xms8m -XX:MinHeapFreeRatio=5 -XX:MaxHeapFreeRatio=20 -Xss512k -Dio.grpc.netty.shaded.io.netty.leakDetection.level=disabled -Dorg.apache.ratis.thirdparty.io.netty.leakDetection.level=disabled"
BENCH=("$JAVA_HOME/bin/java" -XX:TieredStopAtLevel=1 -cp "keel-bench/target/classes:keel-bench/target/lib/*" io.keel.bench.Bench)
fp() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
declare -a C P PIDS
for i in 0 1 2; do C[$i]=$(fp); P[$i]=$(fp); done
ic=""; for j in 0 1 2; do ic+="${ic:+,}m$j=http://127.0.0.1:${P[$j]}"; done
for i in 0 1 2; do
  KEEL_JAVA_OPTS="$BASE -Xlog:gc*,safepoint:file=$OUT/gc-m$i.log" bin/keel store --name m$i --data-dir $OUT/d$i --listen-client-urls http://127.0.0.1:${C[$i]} --advertise-client-urls http://127.0.0.1:${C[$i]} \
     --listen-peer-urls http://127.0.0.1:${P[$i]} --initial-advertise-peer-urls http://127.0.0.1:${P[$i]} --initial-cluster $ic --initial-cluster-state new --initial-cluster-token t$$ > $OUT/m$i.log 2>&1 &
  PIDS[$i]=$!
done
ALL="http://127.0.0.1:${C[0]},http://127.0.0.1:${C[1]},http://127.0.0.1:${C[2]}"
for _ in $(seq 1 120); do etcdctl --endpoints=$ALL endpoint health >/dev/null 2>&1 && break; sleep 0.5; done
put() { "${BENCH[@]}" put --endpoints "$1" --conns 10 --clients 100 --total 20000 --warmup 10000 --key-space-size 100000 --label "$2" -q --json-out $OUT/r.jsonl > /dev/null 2>&1; }
for _ in 1 2 3; do put $ALL prewarm; done

alloc() { for i in 0 1 2; do $JAVA_HOME/bin/jcmd ${PIDS[$i]} GC.heap_info | head -0; done; }
etcdctl --endpoints=$ALL endpoint status -w table > $OUT/status.txt 2>&1 || true
for _ in 1 2; do put $ALL measured; done

etcdctl --endpoints=$ALL endpoint status -w table >> $OUT/status.txt 2>&1 || true
for p in "${PIDS[@]}"; do kill -9 $p; done; wait 2>/dev/null || true
echo done
