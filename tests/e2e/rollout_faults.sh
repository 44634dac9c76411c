#!/bin/sh
# A canary whose only write (KServe's) fails: the dialog says nothing was written and offers no
# undo, r retries. Then a write that
# fails between the KServe write and the MLflow write, against a simulator of its own
# whose alias writes fail once on cue (its control API): the rollback of a canary of churn-classifier
# v5 with the challenger alias's DELETE failing, then the promotion of a new canary with the
# champion alias's POST failing. Each time the dialog shows which steps are done and which failed,
# the audit rows say the same as the simulator's state; then r (retry) brings the rollback to its
# intended state, and u (undo) brings the promotion back to the canary it started from. No row
# written before a step carries an HTTP status (none was answered yet).
. tests/e2e/lib.sh
MLTOP="$PWD/mltop"
DB="$E2E_TMP/cache.db"

e2e_write_sim faults
V3=$(python3 -c '
import json, sys
print(next(i["storageUri"] for i in json.load(open(sys.argv[1]))["inferenceservices"]
           if i["name"] == "churn-classifier"))' "$E2E_TMP/state0")
V5=$(curl -s "$SIM_URL/api/2.0/mlflow/model-versions/get?name=churn-classifier&version=5" |
	python3 -c 'import json, sys; print(json.load(sys.stdin)["model_version"]["source"])')

# holds URI CANARY ALIASES: the simulator serves churn-classifier from URI with canaryTrafficPercent
# CANARY (null: none) and its registry's aliases are ALIASES (JSON).
holds() {
	e2e_sim_state "$E2E_TMP/state"
	python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
i = next(x for x in s["inferenceservices"] if x["name"] == "churn-classifier")
m = next(x for x in s["registered_models"] if x["name"] == "churn-classifier")
got = (i["storageUri"], i["canaryTrafficPercent"], m["aliases"])
want = (sys.argv[2], json.loads(sys.argv[3]), json.loads(sys.argv[4]))
if got != want:
    print("simulator:", got, "wanted:", want)
    sys.exit(1)
' "$E2E_TMP/state" "$1" "$2" "$3"
}
# audit_says ACTION RESULTS...: the "after" rows of the last ACTION's rows (from its last
# "before" of step 1 on) have these results, in order, and no "before" row has an HTTP status.
audit_says() {
	"$MLTOP" --cache "$DB" --audit --json >"$E2E_TMP/audit.json"
	python3 -c '
import json, sys
rows = json.load(open(sys.argv[1]))
act, want = sys.argv[2], sys.argv[3:]
bad = [r for r in rows if r["phase"] == "before" and r["http_status"] is not None]
assert not bad, ("a before row with an HTTP status", bad)
got = [r["result"] for r in rows if r["action"] == act and r["phase"] == "after"]
if got[-len(want):] != want:
    print("audit:", got, "wanted the last:", want)
    sys.exit(1)
' "$E2E_TMP/audit.json" "$@"
}
fault() {
	e2e_sim_post /-/sim/faults "{\"prefix\":\"/api/2.0/mlflow/registered-models/alias\",\"method\":\"$1\",\"kind\":\"status\",\"status\":500,\"times\":1}"
}
# confirm NAME: what the plan asks before it is sent: `override` and a reason when a critical
# alert fires for the target, then y, or the model's name when all the traffic moves.
confirm() {
	if e2e_shows -F "type override to go on anyway"; then
		e2e_typed override
		e2e_keys Enter
		e2e_wait "the reason (kept in the audit log)" || return 1
		e2e_typed "the alert is the canary's own, from before"
		e2e_keys Enter
	fi
	if e2e_wait "y sends it · n or Esc cancels" 1; then
		e2e_keys y
	else
		e2e_wait "type the model's name" 1 || return 1
		e2e_typed "$1"
		e2e_keys Enter
	fi
}
# canary: C and its confirmation from Serving, until the split shows 90|10.
canary() {
	e2e_plan C "Canary churn-classifier v3 → v5 at 10 %" churn-classifier &&
		confirm churn-classifier && e2e_wait "done: every step written" 15 &&
		e2e_keys Escape && e2e_wait "90|10" 15
}

e2e_start 140 45 "$MLTOP $(e2e_sim_args) --refresh 1 --cache $DB"
e2e_keys 3
check "Serving lists churn-classifier" e2e_wait_re "churn-classifier +█+ 100 +v3" 10

# ---- the canary, its KServe PATCH failing: nothing written; r retries ----
check "the PATCH will fail once" e2e_sim_post /-/sim/faults '{"prefix":"/apis/serving.kserve.io/","method":"PATCH","kind":"status","status":500,"times":1}'
check "C plans the canary" e2e_plan C "Canary churn-classifier v3 → v5 at 10 %" churn-classifier
check "it is confirmed" confirm churn-classifier
check "the dialog: stopped at the first step" e2e_wait "failed: stopped at step 1 of 1" 20
check "the KServe step failed" e2e_wait_re "1 KServe +\[failed 500"
check "the dialog says nothing was written" e2e_wait "nothing was written · r retries · Esc closes"
check "and offers no undo" e2e_lacks "undo"
e2e_keys u
check "u: nothing to undo" e2e_wait "nothing to undo: nothing was written"
check "the audit: the step failed" audit_says canary failed
check "the simulator: nothing written" holds "$V3" null '{"champion":"3","challenger":"5"}'
e2e_keys r
check "r: every step written" e2e_wait "done: every step written" 15
check "the audit: the retried step ok" audit_says canary failed ok
check "the simulator: the canary" holds "$V5" 10 '{"champion":"3","challenger":"5"}'
e2e_keys Escape
check "Serving shows 90|10" e2e_wait "90|10" 15

# ---- the rollback, its alias DELETE failing; r retries ----
check "the challenger's DELETE will fail once" fault DELETE
check "R plans the rollback" e2e_plan R "Rollback churn-classifier v5 → v3 at 100 %" churn-classifier
check "it is confirmed" confirm churn-classifier
check "the dialog: stopped at the MLflow step" e2e_wait "failed: stopped at step 3 of 3" 20
check "the KServe steps done" e2e_wait_re "2 KServe +\[done 200\]"
check "the MLflow step failed" e2e_wait_re "3 MLflow +\[failed 500"
check "r and u are offered" e2e_wait "r retries the steps not done · u undoes those done"
check "the audit: two steps ok, one failed" audit_says rollback ok ok failed
check "the simulator: v3 served, the challenger still there" holds "$V3" null '{"champion":"3","challenger":"5"}'
e2e_keys r
check "r: every step written" e2e_wait "done: every step written" 15
check "the audit: the retried step ok" audit_says rollback ok ok failed ok
check "the simulator: the rollback's intended state" holds "$V3" null '{"champion":"3"}'
e2e_keys Escape
check "the dialog closes" e2e_wait_gone "done: every step written"

# ---- the promotion, its champion alias POST failing; u undoes ----
check "a new canary of v5 at 10 %" canary
e2e_sim_state "$E2E_TMP/canary"
check "the champion's POST will fail once" fault POST
check "P plans the promotion" e2e_plan P "Promote churn-classifier v3 → v5" churn-classifier
check "its way back says the canary was absent, not -1 %" e2e_shows -F "canary absent → 10 %"
check "it is confirmed" confirm churn-classifier
check "the dialog: stopped at an MLflow step" e2e_wait_re "failed: stopped at step [0-9]+ of [0-9]+ \(MLflow" 20
check "the KServe step done" e2e_wait_re "1 KServe +\[done 200\]"
check "the champion's step failed" e2e_wait_re "2 MLflow +\[failed 500"
check "the challenger's step not run" e2e_wait_re "3 MLflow +\[not run\]"
check "the audit: the KServe step ok, then the failure" audit_says promote ok failed
check "the simulator: v5 served at 100 %, the aliases as before" holds "$V5" null '{"champion":"3","challenger":"5"}'
e2e_keys u
check "u: the steps that undo what was done" e2e_wait "the steps that undo what was done"
check "u: the title says it is an undo, back to the canary" e2e_shows -F "Undo, back to: canary churn-classifier v5 → v3"
check "u: written" e2e_wait "done: every step written" 20
check "the audit: the undo, ok" audit_says undo ok
check "the simulator: the canary it started from" holds "$V5" 10 '{"champion":"3","challenger":"5"}'
e2e_keys Escape
check "Serving shows 90|10 again" e2e_wait "90|10" 15
e2e_keys q
check "mltop quits" e2e_wait_gone_shell "Serving"
e2e_stop
"$MLTOP" --cache "$DB" --audit --verify >"$E2E_TMP/out" 2>&1
check "--audit --verify exits 0" [ $? -eq 0 ]
e2e_done
