#!/bin/sh
# A canary and its rollback from the keyboard, against a simulator of its own whose clock runs 30
# times faster: C on churn-classifier in Serving plans the bad v5 at 10 %, y sends it; Serving shows
# the 90|10 split and v5 failing more than v3, Alerts the simulator's alerts for v5, Enter on one
# opens v5's failed samples; R plans the rollback, typing the model's name sends it; the split goes
# back to 100 % v3 and the alerts resolve once their window has passed. :canary plans the same
# again, n cancels it: nothing written, nothing in the audit. Both actions are in the
# Audit panel, in mltop --audit --json (checked field by field) and verified by --audit --verify,
# and the simulator holds what they say: v3's storageUri, no canary, champion 3, no challenger.
. tests/e2e/lib.sh
MLTOP="$PWD/mltop"
DB="$E2E_TMP/cache.db"

e2e_write_sim ro

# err VERSION: the ERR % of VERSION in churn-classifier's rows of Serving.
err() {
	e2e_screen | awk -v v="$1" '
		/churn-classifier/ || (f && /^ +v[0-9]+ /) {
			f = /churn-classifier/ ? 1 : f
			for (i = 1; i < NF; i++) if ($i == v) { print $(i + 2); exit }
		}
		!/churn-classifier/ && !/^ +v[0-9]+ / { f = 0 }'
}
v5_fails_more() {
	a=$(err v5) b=$(err v3)
	[ -n "$a" ] && [ -n "$b" ] && awk -v a="$a" -v b="$b" 'BEGIN { exit !(a > 5 && a > b) }'
}
e2e_lacks_re() { ! e2e_shows -E "$1"; }
churn_at_100() { e2e_shows -E "churn-classifier +█+ 100 +v3"; }

e2e_start 140 45 "$MLTOP $(e2e_sim_args) --refresh 1 --cache $DB"
e2e_keys 3
check "Serving: churn-classifier all on v3" e2e_until 10000 churn_at_100
check "no canary yet" e2e_lacks "90|10"
check "no alert counted yet" e2e_lacks_re "4 Alerts \\("
e2e_keys C
check "C plans the canary of v5" e2e_wait "Canary churn-classifier v3 → v5 at 10 %"
check "y is asked for" e2e_wait "y sends it · n or Esc cancels"
e2e_keys y
check "y sends it" e2e_wait "done: every step written"
e2e_keys Escape
check "Serving shows the 90|10 split" e2e_wait "90|10" 15
check "v5 fails more than v3 (ERR %)" e2e_until 20000 v5_fails_more
check "the Alerts tab counts" e2e_wait_re "4 Alerts \([0-9]+\)" 15

e2e_keys 4
check "Alerts: v5's error ratio" e2e_wait_re "ModelHighErrorRate +churn-classifier +v5" 15
check "Alerts: v5's drift" e2e_wait_re "ModelFeatureDrift +churn-classifier +v5"
e2e_keys Enter
check "Enter: the failed samples of v5" e2e_wait "focus: model churn-classifier · version v5"
check "v5's samples listed" e2e_wait_re "[0-9:]{8} churn-classifier v5 " 15

e2e_keys 3
check "back to Serving" e2e_wait "90|10"
check "R plans the rollback" e2e_plan R "Rollback churn-classifier v5 → v3 at 100 %" churn-classifier
check "100 %: the model's name is asked for" e2e_wait "type the model's name"
check "a step that expects nothing has no expects line" e2e_lacks_re "│ +expects +│"
e2e_typed churn-classifier
e2e_keys Enter
check "the rollback is sent" e2e_wait "done: every step written" 15
e2e_keys Escape
check "the split returns to 100 % v3" e2e_until 15000 churn_at_100
check "the canary row is gone" e2e_wait_gone "90|10"

# v5 takes no more traffic: once the alerting window has passed, its alerts resolve
e2e_keys 4
check "Alerts: v5's alerts still fire" e2e_wait_re "ModelHighErrorRate +churn-classifier +v5"
check "the window passes" e2e_sim_post /-/sim/advance '{"seconds":600}'
check "v5's alerts resolve" e2e_until 20000 e2e_lacks_re "churn-classifier +v5"
check "the Alerts tab no longer counts" e2e_until 10000 e2e_lacks_re "4 Alerts \\("

e2e_keys 3
check "back to Serving" e2e_wait "DEPLOYMENT"
# :canary plans the same from the command line; n cancels: nothing written, nothing in the audit
e2e_sim_state "$E2E_TMP/rolled-back"
e2e_keys :
e2e_typed "canary churn-classifier 5 25"
e2e_keys Enter
check ":canary plans it" e2e_wait "Canary churn-classifier v3 → v5 at 25 %"
check "y is asked for (no alert fires for v5 any more)" e2e_wait "y sends it · n or Esc cancels"
e2e_keys n
check "n cancels" e2e_wait_gone "Canary churn-classifier v3 → v5 at 25 %"
e2e_sim_state "$E2E_TMP/cancelled"
check "nothing was written" python3 -c '
import json, sys
def spec(f):
    s = json.load(open(f))
    return ([(i["name"], i["generation"], i["storageUri"], i["canaryTrafficPercent"])
             for i in s["inferenceservices"]], s["registered_models"])
a, b = (spec(f) for f in sys.argv[1:])
assert a == b, (a, b)
' "$E2E_TMP/rolled-back" "$E2E_TMP/cancelled"

e2e_keys 6
check "Audit: the chain is verified" e2e_wait_re "chain verified \([0-9]+ rows\)"
check "Audit: the canary, ok" e2e_wait_re "canary +churn-classifier +3 → 5 +10 % after +ok"
check "Audit: the rollback, ok" e2e_wait_re "rollback +churn-classifier +5 → 3 +100 % after +ok"
e2e_keys q
check "mltop quits" e2e_wait_gone_shell "Audit"
e2e_stop

"$MLTOP" --cache "$DB" --audit --json >"$E2E_TMP/audit.json"
check "--audit --json: the canary then the rollback, ok, versions right" python3 -c '
import json, sys
rows = json.load(open(sys.argv[1]))
acts = []
for r in rows:
    assert r["model"] == "churn-classifier", r
    assert r["result"] in (None, "ok"), r
    if not acts or acts[-1] != r["action"]:
        acts.append(r["action"])
assert acts == ["canary", "rollback"], acts
ends = [r for r in rows if r["phase"] == "after"]
assert ends and all(r["result"] == "ok" for r in ends), ends
details = [r["detail"] or "" for r in rows]
assert not any("canaryTrafficPercent -1" in d for d in details), details
assert any("canaryTrafficPercent absent" in d for d in details), details
for r in rows:
    want = ("3", "5", 10) if r["action"] == "canary" else ("5", "3", 100)
    assert (r["from"], r["to"], r["percent"]) == want, r
' "$E2E_TMP/audit.json"
"$MLTOP" --cache "$DB" --audit --verify >"$E2E_TMP/out" 2>&1
check "--audit --verify exits 0" [ $? -eq 0 ]

e2e_sim_state "$E2E_TMP/state"
check "the simulator: v3 alone, no canary, champion 3, no challenger" python3 -c '
import json, sys
def churn(f):
    s = json.load(open(f))
    i = next(x for x in s["inferenceservices"] if x["name"] == "churn-classifier")
    m = next(x for x in s["registered_models"] if x["name"] == "churn-classifier")
    return i, m
i0, m0 = churn(sys.argv[1])
i, m = churn(sys.argv[2])
assert i["storageUri"] == i0["storageUri"], (i, i0)
assert i["canaryTrafficPercent"] is None, i
assert i["split"] == {"v3": 100}, i
assert m["aliases"] == {"champion": "3"}, m
' "$E2E_TMP/state0" "$E2E_TMP/state"
e2e_done
