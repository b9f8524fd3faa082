#!/usr/bin/env bash
# p50/p99 of puts (100 clients) through the leader only, one follower only, and all members, one cluster kind (keel or etcd);
# for keel also the leader's log entries per put. Usage: 2026-11-28-forwarding.sh keel|etcd OUT REPS
set -euo pipefail
cd /work/main
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 ETCDCTL_API=3
KIND=$1; OUT=$2; REPS=${3:-3}
rm -rf "$OUT"; mkdir -p "$OUT"
BENCH=("$JAVA_HOME/bin/java" -XX:TieredStopAtLevel=1 -cp "keel-bench/target/classes:keel-bench/target/lib/*" io.keel.bench.Bench)
fp() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
declare -a C P PIDS
for i in 0 1 2; do C[$i]=$(fp); P[$i]=$(fp); done
ic=""; for j in 0 1 2; do ic+="${ic:+,}m$j=http://127.0.0.1:${P[$j]}"; done
trap 'for p in "${PIDS[@]}"; do kill -9 $p 2>/dev/null||true; done' EXIT
for i in 0 1 2; do
  f=(--name m$i --data-dir $OUT/d$i --listen-client-urls http://127.0.0.1:${C[$i]} --advertise-client-urls http://127.0.0.1:${C[$i]}
     --listen-peer-urls http://127.0.0.1:${P[$i]} --initial-advertise-peer-urls http://127.0.0.1:${P[$i]} --initial-cluster $ic --initial-cluster-state new --initial-cluster-token t$$)
  if [[ $KIND == etcd ]]; then etcd "${f[@]}" > $OUT/m$i.log 2>&1 & else bin/keel store "${f[@]}" > $OUT/m$i.log 2>&1 & fi
  PIDS[$i]=$!
done
ALL="http://127.0.0.1:${C[0]},http://127.0.0.1:${C[1]},http://127.0.0.1:${C[2]}"
for _ in $(seq 1 120); do etcdctl --endpoints=$ALL endpoint health >/dev/null 2>&1 && break; sleep 0.5; done
li=$(etcdctl --endpoints=$ALL endpoint status -w json | python3 -c '
import json,sys
d=json.load(sys.stdin)
print([i for i,e in enumerate(d) if e["Status"]["leader"]==e["Status"]["header"]["member_id"]][0])')
fi=$(( (li+1)%3 ))
LEADER=http://127.0.0.1:${C[$li]}; FOLLOWER=http://127.0.0.1:${C[$fi]}
put() { "${BENCH[@]}" put --endpoints "$1" --conns 10 --clients 100 --total 20000 --warmup 10000 --key-space-size 100000 --label "$2" -q --json-out $OUT/r.jsonl > /dev/null 2>&1; }
for _ in 1 2 3 4 5; do put $ALL prewarm; done
stat() { curl -s $LEADER/metrics | awk '/^etcd_server_proposals_committed_total/{c=$2} /^keel_store_revision /{r=$2} END{printf "%d %d\n", c, r}'; }
for r in $(seq 1 $REPS); do
  for mode in leader follower all; do
    case $mode in leader) ep=$LEADER;; follower) ep=$FOLLOWER;; all) ep=$ALL;; esac
    read c0 r0 < <(stat); put $ep $mode; read c1 r1 < <(stat)
    echo "$mode entries $((c1-c0)) revisions $((r1-r0)) puts/entry $(python3 -c "print(round(($r1-$r0)/max(1,$c1-$c0),1))")"
  done
done
python3 - $OUT/r.jsonl <<'PY'
import json,sys,statistics as st
rows={}
for l in open(sys.argv[1]):
    d=json.loads(l); rows.setdefault(d['label'],[]).append(d)
for k,v in rows.items():
    if k=='prewarm': continue
    print(k, 'rps %.0f' % st.median([d['rps'] for d in v]), 'p50 %.1f' % st.median([d['p50_ms'] for d in v]), 'p99 %.1f' % st.median([d['p99_ms'] for d in v]), [round(d['p99_ms'],1) for d in v])
PY
