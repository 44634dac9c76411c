#!/bin/sh
# Random keys for mltop --demo under ASan+UBSan, the simulator live so the data moves under the
# keys: navigation, Enter and Esc, panel switches, the prompts (/ : f) with good and bad text
# (invalid regexes, unknown commands, filters MLflow refuses), marks, compare, sort, the column
# picker, help, and resizes down to 1x1. tests/e2e/monkey.awk makes the sequence from a seed.
# Every batch of keys: mltop must still run and no sanitizer may have reported; every 150 keys a
# probe: at 140x45 the header's clock must still move (the screen answers). On a failure: the
# seed, the number of keys sent, the last 50 of them, the report, the screen, and the command
# that replays exactly that sequence.
# Environment: MONKEY_SEEDS (default "1 2 3" and one from the commit), MONKEY_SECONDS per
# seed (default 15), MONKEY_KEYS: send exactly that many keys of the sequence (the replay), then check once more;
# MONKEY_PACE: seconds between two keys (default 0: as fast as tmux sends them).
# After each seed the writes the keys made are checked: the simulator mltop --demo started (its
# port read from its listening socket) holds, for every InferenceService and registered model,
# what its state at the start and the audit rows of the run (ok or partial, replayed in order)
# say, and nothing else: nothing written that the audit log does not show.
# make monkey SEED=n SECONDS=s runs one seed longer; make monkey SEED=n KEYS=k replays.
. tests/e2e/lib.sh

# Besides seeds 1 to 3, one from the commit under test: each commit tries keys none before it
# did, and a failure prints that seed, which replays them (make monkey SEED=n KEYS=k).
commit_seed() {
	h=$(git rev-parse --short=6 HEAD 2>/dev/null) && echo $((0x$h))
}
SEEDS=${MONKEY_SEEDS:-1 2 3 $(commit_seed)}
SECS=${MONKEY_SECONDS:-15}
COUNT=${MONKEY_KEYS:-200000}
PACE=${MONKEY_PACE:-0}

now_s() { date +%s; }

# header: the first line of the screen.
header() { e2e_screen | head -n 1; }
has_clock() { header | grep -qE '[0-9]{2}:[0-9]{2}:[0-9]{2}'; }
header_moved() { [ "$(header)" != "$1" ]; }

# probe: at a size where the header shows the clock, the clock must show, then move.
probe() {
	e2e_resize 140 45
	e2e_until 5000 has_clock || return 1
	h=$(header)
	e2e_until 5000 header_moved "$h"
}

# sim_alive: the simulator mltop --demo started still runs (its UBSan reports go nowhere: it
# would just be gone).
sim_alive() { pgrep -P "$(cat "$E2E_TMP/pid")" -x mltop-sim >/dev/null; }

# sim_url: the address of the simulator mltop --demo started.
sim_url() {
	spid=$(pgrep -P "$(cat "$E2E_TMP/pid")" -x mltop-sim) || return 1
	port=$(ss -ltnpH | grep "pid=$spid," | sed -n 's/.*127\.0\.0\.1:\([0-9]*\) .*/\1/p' | head -n 1)
	[ -n "$port" ] && echo "http://127.0.0.1:$port"
}

# audit_json: the audit log of the monkey's cache (mltop may be writing to it: once more if busy).
audit_json() {
	"$PWD/mltop" --audit --json >"$1" 2>/dev/null || "$PWD/mltop" --audit --json >"$1"
}

# explained STATE0 STATE AUDIT FIRST_ID: every InferenceService's storageUri and canary percent,
# every model's aliases in STATE are what STATE0 and the audit rows from FIRST_ID on (ok or
# partial, in order) make of them; a model whose stages changed has such a row. Says what differs.
explained() {
	python3 - "$@" <<-'PY'
		import json, sys
		s0, s1 = (json.load(open(f)) for f in sys.argv[1:3])
		rows = [r for r in json.load(open(sys.argv[3])) if r["id"] >= int(sys.argv[4])]
		done = [r for r in rows if r["result"] in ("ok", "partial") and r["request"]]
		isvc = {i["name"]: [i["storageUri"], i["canaryTrafficPercent"]] for i in s0["inferenceservices"]}
		alias = {m["name"]: dict(m["aliases"]) for m in s0["registered_models"]}
		staged = set()
		for r in done:
		    method, _, rest = r["request"].partition(" ")
		    path, _, body = rest.partition(" ")
		    b = json.loads(body) if body.startswith("{") else {}
		    if method == "PATCH" and "/inferenceservices/" in path:
		        p = b.get("spec", {}).get("predictor", {})
		        name = path.rsplit("/", 1)[1]
		        if "canaryTrafficPercent" in p:
		            isvc[name][1] = p["canaryTrafficPercent"]
		        if "storageUri" in p.get("model", {}):
		            isvc[name][0] = p["model"]["storageUri"]
		    elif path.endswith("/registered-models/alias"):
		        if method == "DELETE":
		            alias[b["name"]].pop(b["alias"], None)
		        else:
		            alias[b["name"]][b["alias"]] = b["version"]
		    elif "transition-stage" in path:
		        staged.add(b.get("name"))
		bad = []
		for i in s1["inferenceservices"]:
		    if [i["storageUri"], i["canaryTrafficPercent"]] != isvc.get(i["name"]):
		        bad.append(("InferenceService", i["name"], i["storageUri"], i["canaryTrafficPercent"],
		                    "the audit says", isvc.get(i["name"])))
		stages0 = {m["name"]: m["versions"] for m in s0["registered_models"]}
		for m in s1["registered_models"]:
		    if m["aliases"] != alias.get(m["name"]):
		        bad.append(("aliases", m["name"], m["aliases"], "the audit says", alias.get(m["name"])))
		    if m["versions"] != stages0.get(m["name"]) and m["name"] not in staged:
		        bad.append(("stages", m["name"], m["versions"], "no stage transition in the audit"))
		for b in bad:
		    print("not in the audit:", b)
		print("%d audit rows, %d writes replayed" % (len(rows), len(done)))
		sys.exit(1 if bad else 0)
	PY
}

# writes_quiet: no write under way (the header says WRITING while one is).
writes_quiet() { ! e2e_shows -F "WRITING"; }

# fail SEED N WHY: everything needed to see and replay the failure.
fail() {
	e2e_until 5000 e2e_pid_gone "$(cat "$E2E_TMP/pid")" # a sanitizer finishes its report
	E2E_FAILS=$((E2E_FAILS + 1))
	echo "FAIL seed $1: $3 after $2 keys"
	echo "---- the last keys (of $2) ----"
	head -n "$2" "$E2E_TMP/keys" | tail -n 50 | awk '
		/^k / { printf " %s", substr($0, 3) }
		/^t / { printf " \"%s\"", substr($0, 3) }
		/^r / { printf " [resize %sx%s]", $2, $3 }
		/^p$/ { printf " [probe]" }
		END { print "" }' | fold -s -w 100
	e2e_san_report
	echo "---- screen ----"
	e2e_screen
	echo "----------------"
	echo "replay: make monkey SEED=$1 KEYS=$2"
}

# send LINE: one action of the sequence.
send() {
	case "$1" in
	"k "*) e2e_keys "${1#k }" ;;
	"t "*) tmux -L "$E2E_SOCK" send-keys -t t -l -- "${1#t }" ;;
	"r "*)
		# shellcheck disable=SC2086 # two numbers
		set -- ${1#r }
		e2e_resize "$1" "$2"
		;;
	p) probe ;;
	esac
}

# run SEED: one mltop, the sequence of SEED for SECS seconds (or exactly COUNT keys).
run() {
	seed=$1
	awk -v seed="$seed" -v count="$COUNT" -f tests/e2e/monkey.awk | head -n "$COUNT" >"$E2E_TMP/keys"
	e2e_start_san 140 45 --demo
	if ! e2e_wait "Experiments" 15 || ! e2e_alive; then
		fail "$seed" 0 "mltop did not start"
		e2e_stop
		return
	fi
	url=$(sim_url) || url=""
	[ -n "$url" ] && curl -s "$url/-/sim/state" >"$E2E_TMP/state0"
	audit_json "$E2E_TMP/audit0"
	first=$(python3 -c 'import json, sys; print(max([r["id"] for r in json.load(open(sys.argv[1]))] + [0]) + 1)' "$E2E_TMP/audit0")
	end=$(($(now_s) + SECS))
	n=0
	why=""
	while IFS= read -r line; do
		n=$((n + 1))
		if [ "$line" = p ]; then
			probe || { why="the screen stopped answering"; break; }
		else
			send "$line"
		fi
		# An even pace (not a wait for anything): a replay then meets mltop in about the same
		# state, key for key, as the run it replays.
		[ "$PACE" = 0 ] || sleep "$PACE"
		[ $((n % 10)) -eq 0 ] || continue
		e2e_alive || { why="mltop died or a sanitizer reported"; break; }
		sim_alive || { why="the simulator died"; break; }
		[ -z "${MONKEY_KEYS:-}" ] && [ "$(now_s)" -ge "$end" ] && break
	done <"$E2E_TMP/keys"
	if [ -z "$why" ]; then
		if ! e2e_alive; then
			why="mltop died or a sanitizer reported"
		elif ! probe; then
			why="the screen stopped answering"
		fi
	fi
	if [ -z "$why" ] && [ -z "$url" ]; then
		why="the simulator's address was not found"
	elif [ -z "$why" ]; then
		# the write under way ends (a rollout waits for a revision: seconds) before the state is read
		e2e_until 30000 writes_quiet
		curl -s "$url/-/sim/state" >"$E2E_TMP/state"
		audit_json "$E2E_TMP/audit"
		explained "$E2E_TMP/state0" "$E2E_TMP/state" "$E2E_TMP/audit" "$first" ||
			why="the simulator holds a write the audit log does not show"
	fi
	if [ -n "$why" ]; then
		fail "$seed" "$n" "$why"
	else
		echo "ok   seed $seed: $n keys, mltop alive and answering, every write in the audit log"
	fi
	e2e_stop
}

for s in $SEEDS; do run "$s"; done
e2e_done
