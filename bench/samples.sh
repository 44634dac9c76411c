#!/bin/sh
# The Samples figures of docs/figures.md, one line each (called by bench/run.sh):
#   1. one more character of / over 1,000,000 failed samples, median in-process, against
#      pcre2grep with the same pattern over the same file (bench_samples; the ring's caps are
#      raised there: a million samples take about 1.1 GiB, over the panel's defaults);
#   2. a JSON Lines file growing by 1,000 lines a second while mltop shows it on the Samples
#      panel: mltop's CPU over BENCH_SECONDS, against `tail -F` of the same file into /dev/null,
#      both following the same file at the same time.
# BENCH_SAMPLES changes the 1,000,000. Nothing here asserts a time.
set -u
BUILD=${1:-build}
SECS=${BENCH_SECONDS:-30}
N=${BENCH_SAMPLES:-1000000}
. bench/lib.sh
bench_setup samples
secs() { awk -v a="$1" -v b="$2" -v hz="$(getconf CLK_TCK)" 'BEGIN{printf "%.2f", (b-a)/hz}'; }

# 1. The filter keystroke; its lines are kept for the writer below.
"$BUILD/bench/bench_samples" "$N" "$TMP/lines.jsonl"

# 2. Following a file growing by 1,000 lines a second (100 every 0.1 s).
head -n 100 "$TMP/lines.jsonl" >"$TMP/batch"
F="$TMP/growing.jsonl"
: >"$F"
(while :; do cat "$TMP/batch" >>"$F"; sleep 0.1; done) &
bench_pid $!
tail -F "$F" >/dev/null 2>&1 &
TAIL=$!
bench_pid $TAIL
tmux -L "$SOCK" -f /dev/null new-session -d -s m -x 120 -y 40 \
	"env LANG=C.UTF-8 TERM=screen-256color sh -c 'echo \$\$ > $TMP/pid; exec ./mltop --samples $F --refresh 1'"
deadline=$(($(ms) + 10000))
until [ -s "$TMP/pid" ] && tmux -L "$SOCK" capture-pane -p -t m | grep -q Experiments; do
	[ "$(ms)" -gt "$deadline" ] && break
	sleep 0.1
done
tmux -L "$SOCK" send-keys -t m 5
until tmux -L "$SOCK" capture-pane -p -t m | grep -q 'TIME'; do
	[ "$(ms)" -gt "$deadline" ] && break
	sleep 0.1
done
pid=$(cat "$TMP/pid")
m0=$(cpu_ticks "$pid") t0=$(cpu_ticks "$TAIL")
sleep "$SECS"
m1=$(cpu_ticks "$pid") t1=$(cpu_ticks "$TAIL")
m=$(secs "$m0" "$m1") t=$(secs "$t0" "$t1")
echo "samples_follow_cpu_seconds_${SECS}s $m s  [tail -F $t s, ratio $(ratio "$m" "$t")]"
