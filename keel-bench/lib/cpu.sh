# keel-bench/lib/cpu.sh: CPU accounting from /proc, sourced by the benchmark scripts.
# All figures are user+system jiffies (getconf CLK_TCK per second).

# proc_cpu PID: the whole process (0 if it is gone)
proc_cpu() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }

# jit_cpu PID: only a JVM's JIT compiler threads (C1/C2 CompilerThread*; 0 for any other process)
jit_cpu() {
  local t c s=0
  for t in /proc/"$1"/task/*; do
    read -r c <"$t/comm" 2>/dev/null || continue
    [[ $c == C[12]\ CompilerThre* ]] && s=$((s + $(awk '{print $14 + $15}' "$t/stat" 2>/dev/null || echo 0)))
  done
  echo "$s"
}

# sum_cpu FUNC PID...: FUNC (proc_cpu or jit_cpu) summed over several processes
sum_cpu() {
  local f=$1 p s=0
  shift
  for p in "$@"; do s=$((s + $("$f" "$p"))); done
  echo "$s"
}
