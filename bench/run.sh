#!/bin/sh
# make bench: the figures of PERFORMANCE.md, one line each
#   name value unit  [peer value unit, ratio]
# printed and written to bench/results.txt. Peers run in the same invocation, alternating with
# mltop, so that a noisy machine affects both alike. BENCH_SECONDS shortens the 30 s windows.
set -u
BUILD=${1:-build}
SECS=${BENCH_SECONDS:-30}
OUT=bench/results.txt
TMP=$(mktemp -d)
SOCK="mltop-bench-$$"
SIM_PID=""
cleanup() {
	tmux -L "$SOCK" kill-server 2>/dev/null
	[ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT INT TERM
export XDG_CONFIG_HOME="$TMP/config" XDG_CACHE_HOME="$TMP/cache"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME"
: >"$OUT"

say() { echo "$*" | tee -a "$OUT"; }
ms() { echo $(($(date +%s%N) / 1000000)); }

# cpu_ticks PID: utime + stime of a process, in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }

# measure CMD: runs CMD in a 120x40 tmux pane, waits for its first frame, then counts the bytes
# it writes to the terminal and the CPU it uses over SECS seconds. Prints "BYTES CPU_SECONDS".
measure() {
	tmux -L "$SOCK" -f /dev/null new-session -d -s m -x 120 -y 40 \
		"env LANG=C.UTF-8 TERM=screen-256color sh -c 'echo \$\$ > $TMP/pid; exec $1'"
	deadline=$(($(ms) + 10000))
	while [ ! -s "$TMP/pid" ] || [ -z "$(tmux -L "$SOCK" capture-pane -p -t m | tr -d ' \n')" ]; do
		[ "$(ms)" -gt "$deadline" ] && break
		sleep 0.1
	done
	pid=$(cat "$TMP/pid")
	: >"$TMP/bytes"
	tmux -L "$SOCK" pipe-pane -t m -o "cat >> $TMP/bytes"
	t0=$(cpu_ticks "$pid")
	sleep "$SECS"
	t1=$(cpu_ticks "$pid")
	tmux -L "$SOCK" pipe-pane -t m
	bytes=$(wc -c <"$TMP/bytes")
	tmux -L "$SOCK" kill-server 2>/dev/null
	rm -f "$TMP/pid"
	hz=$(getconf CLK_TCK)
	echo "$bytes $(awk -v a="$t0" -v b="$t1" -v hz="$hz" 'BEGIN{printf "%.2f", (b-a)/hz}')"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.2f", a/b; else print "n/a" }'; }
per_s() { awk -v a="$1" -v s="$SECS" 'BEGIN{printf "%.1f", a/s}'; }

# report NAME "mltop measurement" "htop measurement"
report() {
	set -- "$1" $2 $3
	mb=$(per_s "$2") hb=$(per_s "$4")
	say "$1_terminal_bytes_per_s $mb B/s  [htop $hb B/s, ratio $(ratio "$mb" "$hb")]"
	say "$1_cpu_seconds_${SECS}s $3 s  [htop $5 s, ratio $(ratio "$3" "$5")]"
}

say "# mltop bench $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) cores, windows of ${SECS}s"

# 1. The idle shell: no sources, nothing to poll; then htop -d 10 in the same run.
m=$(measure "./mltop")
h=$(measure "htop -d 10")
report idle_shell "$m" "$h"

# 2. The live dashboard: every source on the simulator, 2 s refresh, on the serving panel.
if [ -x ./mltop-sim ]; then
	./mltop-sim --port 0 >"$TMP/sim.out" 2>/dev/null &
	SIM_PID=$!
	deadline=$(($(ms) + 5000))
	until grep -q listening "$TMP/sim.out" || [ "$(ms)" -gt "$deadline" ]; do sleep 0.05; done
	url=$(sed -n 's/^listening on //p' "$TMP/sim.out")
	src="--mlflow $url --alertmanager $url --kserve $url --namespace models --scrape $url/metrics --samples $url/samples --refresh 2"
	m=$(measure "./mltop $src")
	h=$(measure "htop -d 10")
	report live_sim "$m" "$h"
fi

for b in "$BUILD"/bench/bench_*; do
	[ -x "$b" ] && "$b" | tee -a "$OUT"
done
echo "written to $OUT"
