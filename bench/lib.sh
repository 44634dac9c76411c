# shellcheck shell=sh
# What the bench scripts share (sourced; they run from the project's root).
#   bench_setup NAME   $TMP, a temporary directory removed on exit; $SOCK, a tmux socket of
#                      their own, killed on exit; XDG_CONFIG_HOME and XDG_CACHE_HOME inside
#                      $TMP, so that no bench reads the user's config or writes their cache
#   bench_pid PID      a process stopped on exit
#   start_sim ARGS     mltop-sim on a free loopback port (stopping the one before); its URL in
#                      $url, "" when it did not start within 20 s
#   stop_sim           stops it
#   ms, cpu_ticks PID, ratio A B, median (of the numbers on stdin)

bench_setup() {
	TMP=$(mktemp -d)
	SOCK="mltop-bench-$1-$$"
	BENCH_PIDS=""
	SIM_PID=""
	trap bench_cleanup EXIT
	trap 'exit 130' INT TERM
	export XDG_CONFIG_HOME="$TMP/config" XDG_CACHE_HOME="$TMP/cache"
	mkdir -p "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME"
}

bench_cleanup() {
	tmux -L "$SOCK" kill-server 2>/dev/null
	stop_sim
	for p in $BENCH_PIDS; do kill "$p" 2>/dev/null; done
	rm -rf "$TMP"
}

bench_pid() { BENCH_PIDS="$BENCH_PIDS $1"; }

start_sim() {
	stop_sim
	./mltop-sim --port 0 "$@" >"$TMP/sim.out" 2>/dev/null &
	SIM_PID=$!
	deadline=$(($(ms) + 20000))
	until grep -q listening "$TMP/sim.out" || [ "$(ms)" -gt "$deadline" ]; do sleep 0.05; done
	# shellcheck disable=SC2034 # the callers' URL
	url=$(sed -n 's/^listening on //p' "$TMP/sim.out")
}

stop_sim() {
	if [ -n "${SIM_PID:-}" ]; then
		kill "$SIM_PID" 2>/dev/null
		wait "$SIM_PID" 2>/dev/null
	fi
	SIM_PID=""
}

ms() { echo $(($(date +%s%N) / 1000000)); }

# utime + stime of a process, in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.2f", a/b; else print "n/a" }'; }

median() { sort -n | awk '{a[NR]=$1} END{ if (NR == 0) print 0; else if (NR % 2) print a[(NR+1)/2];
	else print (a[NR/2] + a[NR/2+1]) / 2 }'; }
