#!/usr/bin/env bash
# single keel member, 1000 keys overwritten by 100 clients, compacted to the last 10,000 revisions after
# each round of 100,000 puts: does the heap stay bounded? Usage: 2026-11-28-old-generation.sh OUT ROUNDS
set -uo pipefail
cd /work/main
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 ETCDCTL_API=3
OUT=$1; ROUNDS=${2:-20}; rm -rf $OUT; mkdir -p $OUT
export KEEL_JAVA_OPTS="${KEEL_JAVA_OPTS:--XX:+UseSerialGC -Xms8m -XX:MinHeapFreeRatio=5 -XX:MaxHeapFreeRatio=20 -Xss512k} -Xlog:gc:file=$OUT/gc.log"
bin/keel store --data-dir $OUT/d --listen-client-urls http://127.0.0.1:23790 --advertise-client-urls http://127.0.0.1:23790 \
  --listen-peer-urls http://127.0.0.1:23800 --initial-advertise-peer-urls http://127.0.0.1:23800 --initial-cluster default=http://127.0.0.1:23800 > $OUT/m.log 2>&1 &
PID=$!
for _ in $(seq 1 60); do curl -sf 127.0.0.1:23790/health >/dev/null && break; sleep 0.5; done
BENCH=("$JAVA_HOME/bin/java" -XX:TieredStopAtLevel=1 -cp "keel-bench/target/classes:keel-bench/target/lib/*" io.keel.bench.Bench)
for r in $(seq 1 $ROUNDS); do
  "${BENCH[@]}" put --endpoints http://127.0.0.1:23790 --conns 10 --clients 100 --total 100000 --key-space-size 1000 -q --json-out $OUT/r.jsonl >/dev/null 2>&1
  rev=$(etcdctl --endpoints 127.0.0.1:23790 endpoint status -w json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["Status"]["header"]["revision"])')
  etcdctl --endpoints 127.0.0.1:23790 compact $((rev - 10000)) > /dev/null
  heap=$(grep "Pause" $OUT/gc.log | tail -1 | grep -o "[0-9]*M->[0-9]*M([0-9]*M)")
  echo "round $r puts $((r*100000)) rss $(awk '/VmRSS/{print int($2/1024)}' /proc/$PID/status) MiB heap $heap fullGCs $(grep -c 'Pause Full' $OUT/gc.log) p99 $(tail -1 $OUT/r.jsonl | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["p99_ms"], d["max_ms"], d["rps"])') keys $(curl -s 127.0.0.1:23790/metrics | awk '/^keel_store_keys /{print $2}')"
done
grep "Pause Full" $OUT/gc.log | tail -5
kill -9 $PID
