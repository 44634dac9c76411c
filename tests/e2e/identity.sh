#!/bin/sh
# Data identity: what the cache keeps belongs to the server it came from. A context whose MLflow
# URL changed, or a --mlflow pointing elsewhere for one run, shows none of the first server's
# experiments (nor reopens its last one), and says "not cached"; back on the first server, down,
# its data shows at once from the cache. --demo keeps its data in a context "demo" of its own.
# --snapshot starts every panel at its top level whatever the last session left open. A cache
# write that fails on a full disk, or meets the cap, is shown when it happens.
. tests/e2e/lib.sh
MLTOP="$PWD/mltop"
DEAD=http://127.0.0.1:1 # nothing listens there: MLflow is refused at once
MNT="$E2E_TMP/tiny"
export LANG=C.UTF-8 LC_ALL=C.UTF-8

# The tmux server (and the mltop in it) goes before the small file system it may write to.
identity_cleanup() {
	tmux -L "$E2E_SOCK" kill-server 2>/dev/null
	if mountpoint -q "$MNT" 2>/dev/null; then umount -l "$MNT"; fi
	e2e_cleanup
}
trap identity_cleanup EXIT INT TERM

sim_up() { e2e_sim "$@"; }

# absent TEXT: the screen does not show TEXT.
absent() { ! e2e_screen | grep -qF -- "$1"; }

# quit: q, and the pane says mltop is gone.
quit() {
	e2e_keys q
	check "$1: q quits" e2e_wait "EXITED 0"
	e2e_stop
}

sim_up a --seed 1 || { echo "mltop-sim did not start"; exit 1; }
A=$SIM_URL
A_PID=$SIM_PID
CFG="$E2E_TMP/prod.ini"

# 1. The context prod on server A: its experiments, and one of them opened (remembered).
printf '[context.prod]\nmlflow = %s\n' "$A" >"$CFG"
e2e_start 120 30 "$MLTOP -c $CFG"
check "server A: its experiments come" e2e_wait "churn-weekly"
e2e_keys Enter
check "server A: an experiment opens" e2e_wait "STATUS"
quit "server A"

# 2. The same context, its URL changed to a server that does not answer: none of A's data.
printf '[context.prod]\nmlflow = %s\n' "$DEAD" >"$CFG"
e2e_start 120 30 "$MLTOP -c $CFG"
check "URL changed: the list says nothing is cached for this server" \
	e2e_wait "Not cached for this server, and MLflow did not answer."
check "URL changed: A's experiments are not shown" absent "churn-weekly"
check "URL changed: A's last experiment is not reopened" absent "STATUS"
quit "URL changed"

# 3. Back on A for the file, but --mlflow points elsewhere for one run: the same.
printf '[context.prod]\nmlflow = %s\n' "$A" >"$CFG"
e2e_start 120 30 "$MLTOP -c $CFG --mlflow $DEAD/"
check "--mlflow elsewhere: not cached for this server" \
	e2e_wait "Not cached for this server, and MLflow did not answer."
check "--mlflow elsewhere: A's experiments are not shown" absent "churn-weekly"
quit "--mlflow elsewhere"

# 4. Back on A, which is down now (spelled with a trailing slash): its data shows at once.
kill "$A_PID"
check "server A is down" e2e_until 3000 e2e_pid_gone "$A_PID"
printf '[context.prod]\nmlflow = %s/\n' "$A" >"$CFG"
e2e_start 120 30 "$MLTOP -c $CFG"
check "back on A: its last experiment reopens from the cache" e2e_wait "STATUS"
check "back on A: marked stale (A is down)" e2e_wait "stale"
e2e_keys Escape
check "back on A: Esc goes to the list" e2e_wait "Experiments · "
check "back on A: its experiments from the cache" e2e_wait "churn-weekly" 1
quit "back on A"

# 5. --demo files under the context demo, which :ctx completes; plain mltop shows none of it.
e2e_start 120 30 "$MLTOP --demo"
check "demo: its experiments come" e2e_wait "churn-weekly"
e2e_keys Enter
check "demo: an experiment opens" e2e_wait "STATUS"
e2e_keys : "ctx d" Tab
check "demo: :ctx completes the context demo" e2e_wait ":ctx demo"
e2e_keys Enter
check "demo: :ctx demo switches to it" e2e_wait "context demo"
quit "demo"
DB="$XDG_CACHE_HOME/mltop/cache.db"
if command -v sqlite3 >/dev/null 2>&1; then
	check "demo: its answers are in the context demo" \
		[ "$(sqlite3 "$DB" "SELECT count(*) > 0 FROM kv WHERE ctx = 'demo'")" = 1 ]
	check "demo: and none in another context" \
		[ "$(sqlite3 "$DB" "SELECT count(*) FROM kv WHERE ctx NOT IN ('demo', 'prod')")" = 0 ]
else
	echo "skip the look into the cache file: no sqlite3 command"
fi
e2e_start 120 30 "$MLTOP --mlflow $DEAD"
check "plain mltop after the demo: nothing cached" \
	e2e_wait "Not cached for this server, and MLflow did not answer."
check "plain mltop after the demo: no demo experiment" absent "churn-weekly"
quit "plain mltop"

# 6. --snapshot before and after a session that left an experiment open: the same top level.
sim_up b --seed 1 || { echo "mltop-sim did not start"; exit 1; }
B=$SIM_URL
: >"$E2E_TMP/empty.ini"
# snap FILE: a snapshot against B, its ages ("0s", "updated 1s ago") made one, so that a slow
# machine does not make two snapshots differ.
snap() {
	"$MLTOP" -c "$E2E_TMP/empty.ini" --snapshot --size 120x30 --mlflow "$B" \
		--cache "$E2E_TMP/snap.db" 2>/dev/null | sed -E 's/\b[0-9]+s\b/Ns/g' >"$1"
}
snap "$E2E_TMP/snap1"
e2e_start 120 30 "$MLTOP -c $E2E_TMP/empty.ini --mlflow $B --cache $E2E_TMP/snap.db"
check "snapshot: the session lists the experiments" e2e_wait "churn-weekly"
e2e_keys Enter
check "snapshot: the session leaves an experiment open" e2e_wait "STATUS"
quit "snapshot session"
snap "$E2E_TMP/snap2"
check "snapshot: at the top level, the experiments list" grep -q "Experiments · 4" "$E2E_TMP/snap2"
check "snapshot: no experiment reopened" sh -c "! grep -q 'Experiments ›' $E2E_TMP/snap2"
check "snapshot: the same output before and after the session" \
	cmp -s "$E2E_TMP/snap1" "$E2E_TMP/snap2"

# 7. The cap: half a MiB holds the runs of one experiment of B (375 KB), not those of another
# server's next one (352 KB) too: the oldest answers go, and the screen says so. (Each session opens
# one experiment only.)
sim_up c --seed 1 || { echo "mltop-sim did not start"; exit 1; }
C=$SIM_URL
printf '[general]\ncache_max_mb = 0.5\n' >"$E2E_TMP/cap.ini"
e2e_start 120 30 "$MLTOP -c $E2E_TMP/cap.ini --mlflow $B --cache $E2E_TMP/cap.db"
check "cap: the experiments come" e2e_wait "fraud-detection"
e2e_keys Down Enter
check "cap: the runs of an experiment" e2e_wait "fraud-detection · 148 runs · updated"
check "cap: not hit yet" absent "cap of"
quit "cap, first server"
e2e_start 120 30 "$MLTOP -c $E2E_TMP/cap.ini --mlflow $C --cache $E2E_TMP/cap.db"
check "cap: another server's experiments come" e2e_wait "search-ranking"
e2e_keys Down Down Enter
check "cap: hitting it is shown" e2e_wait "cache reached its cap of 512 KiB"
check "cap: the runs come all the same" e2e_wait "search-ranking · "
quit "cap, second server"

# 8. A full disk during the session (a small tmpfs, filled after start): shown when it happens.
mkdir -p "$MNT"
if mount -t tmpfs -o size=1m tmpfs "$MNT" 2>/dev/null; then
	e2e_start 120 30 "$MLTOP -c $E2E_TMP/empty.ini --mlflow $B --cache $MNT/cache.db"
	check "full disk: the experiments come" e2e_wait "churn-weekly" 20
	check "full disk: no complaint yet" absent "cache write failed"
	dd if=/dev/zero of="$MNT/fill" bs=4k 2>/dev/null
	e2e_keys Enter
	check "full disk: the failed write is shown when it happens" \
		e2e_wait "cache write failed: disk full"
	check "full disk: the runs still show" e2e_wait "STATUS"
	quit "full disk"
	umount "$MNT"
else
	echo "skip the full disk: mounting a tmpfs is not permitted here (needs root)"
fi
e2e_done
