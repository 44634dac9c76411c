#!/bin/sh
# make soak: mltop against the simulator at 0.5 s refresh for SOAK_SECONDS (default 1800), moving
# between panels now and then as an operator would; prints the growth of its resident memory
# after a one-minute warm-up (docs/figures.md: goal <= 1 MiB). A report, not a test.
set -u
SECS=${SOAK_SECONDS:-1800}
WARM=${SOAK_WARMUP:-60}
TMP=$(mktemp -d)
SOCK="mltop-soak-$$"
SIM=""
cleanup() {
	tmux -L "$SOCK" kill-server 2>/dev/null
	[ -n "$SIM" ] && kill "$SIM" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT INT TERM
export XDG_CONFIG_HOME="$TMP/config" XDG_CACHE_HOME="$TMP/cache"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME"
./mltop-sim --port 0 >"$TMP/sim.out" 2>/dev/null &
SIM=$!
i=0
until grep -qs listening "$TMP/sim.out" || [ $i -gt 100 ]; do sleep 0.05; i=$((i + 1)); done
url=$(sed -n 's/^listening on //p' "$TMP/sim.out")
tmux -L "$SOCK" -f /dev/null new-session -d -s s -x 120 -y 40 \
	"env LANG=C.UTF-8 TERM=screen-256color sh -c 'echo \$\$ > $TMP/pid; exec ./mltop --mlflow $url --alertmanager $url --kserve $url --namespace models --scrape $url/metrics --samples $url/samples --refresh 0.5'"
i=0
until [ -s "$TMP/pid" ] || [ $i -gt 100 ]; do sleep 0.05; i=$((i + 1)); done
pid=$(cat "$TMP/pid")
rss() { awk '/^VmRSS/ {print $2}' "/proc/$pid/status"; }
keys="1 Enter 2 Enter Escape 3 4 5 6 1"
# The warm-up visits every view once, so that what the first visits load is not counted as growth.
for k in $keys; do tmux -L "$SOCK" send-keys -t s "$k"; sleep 1; done
sleep "$WARM"
start=$(rss)
t=0
while [ $t -lt "$SECS" ]; do
	for k in $keys; do tmux -L "$SOCK" send-keys -t s "$k"; sleep 1; t=$((t + 1)); done
	sleep 20
	t=$((t + 20))
done
end=$(rss)
echo "soak_rss_growth_${SECS}s $(((end - start))) KiB  [start ${start} KiB, end ${end} KiB, goal <= 1024 KiB]"
