#!/usr/bin/env bash
# Put latency at a fixed rate on a 3-member keel cluster while members snapshot often,
# with the snapshot writer unpaced (share 1) or paced (0.25). Alternating pairs.
cd /work/main
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
BASE="-XX:+UseSerialGC -Xms8m -XX:MinHeapFreeRatio=5 -XX:MaxHeapFreeRatio=20 -Xss512k -Dio.grpc.netty.shaded.io.netty.leakDetection.level=disabled -Dorg.apache.ratis.thirdparty.io.netty.leakDetection.level=disabled"
BENCH=("$JAVA_HOME/bin/java" -XX:TieredStopAtLevel=1 -Xms256m -Xmx1g -cp "keel-bench/target/classes:keel-bench/target/lib/*" io.keel.bench.Bench)
EP=127.0.0.1:26000,127.0.0.1:26010,127.0.0.1:26020
run() {
  local share=$1 D=/var/tmp/pace-$1
  rm -rf $D; mkdir -p $D
  local cluster="m0=http://127.0.0.1:26001,m1=http://127.0.0.1:26011,m2=http://127.0.0.1:26021"
  for i in 0 1 2; do
    c=$((26000 + i * 10)) p=$((26001 + i * 10))
    KEEL_JAVA_OPTS="$BASE -Dkeel.snapshot.cpu-share=$share" bin/keel store --snapshot-count ${COUNT:-10000} --name m$i --data-dir $D/m$i --listen-client-urls http://127.0.0.1:$c --advertise-client-urls http://127.0.0.1:$c --listen-peer-urls http://127.0.0.1:$p --initial-advertise-peer-urls http://127.0.0.1:$p --initial-cluster $cluster --initial-cluster-state new > $D/m$i.log 2>&1 &
  done
  for _ in $(seq 120); do etcdctl --endpoints $EP endpoint health >/dev/null 2>&1 && break; sleep 0.5; done
  "${BENCH[@]}" put --endpoints $EP --conns 10 --clients 100 --total ${PRELOAD:-150000} --key-space-size 10000000 --sequential-keys -q > /dev/null 2>&1
  for r in w1 w2 1 2 3; do
    "${BENCH[@]}" put --endpoints $EP --conns 10 --clients 100 --total 30000 --rate ${RATE:-2000} --key-space-size 100000 -q 2>/dev/null | tail -1 | python3 -c "import json,sys; d=json.load(sys.stdin); print('share $share run $r: %.0f/s p50 %.2f p90 %.2f p99 %.2f p999 %.2f max %.1f' % (d['rps'], d['p50_ms'], d['p90_ms'], d['p99_ms'], d['p999_ms'], d['max_ms']))"
  done
  echo "  snapshots: $(grep -h 'snapshot at' $D/m*.log | wc -l), last: $(grep -h 'snapshot at' $D/m*.log | tail -1 | sed 's/.*snapshot at/snapshot at/')"
  pkill -f "data-dir $D/" ; wait 2>/dev/null; sleep 1
  rm -rf $D
}
for pair in 1 2 3; do
  if [[ $pair != 2 ]]; then run 1; run 0.25; else run 0.25; run 1; fi
done
