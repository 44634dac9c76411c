#!/bin/sh
# Paths through Experiments and Registry that once crashed mltop: a second experiment opened after
# the first, a registry version's run in another experiment and back, and a start without MLflow
# after a session that left an experiment open (the cache remembers it). Each run must end with
# exit status 0.
. tests/e2e/lib.sh
MLTOP="$PWD/mltop"

e2e_start 140 45 "$MLTOP --demo"
check "the experiments list comes" e2e_wait "churn-weekly"
e2e_keys Enter
check "Enter opens the first experiment" e2e_wait "STATUS"
e2e_keys j Escape
check "Esc goes back to the list" e2e_wait "LIFECYCLE"
e2e_keys j Enter
check "a second experiment opens" e2e_wait "Experiments › search-ranking"
check "with its runs" e2e_wait "STATUS"
e2e_keys Escape k Enter
check "and the first again" e2e_wait "Experiments › churn-weekly"
e2e_keys 2
check "the registry" e2e_wait "fraud-detector"
e2e_keys j Enter
check "a model's versions" e2e_wait "champion v2"
e2e_keys Enter
check "a version's run in another experiment" e2e_wait "REPRODUCE"
e2e_keys Escape
check "Esc opens that run's experiment" e2e_wait "Experiments › fraud-detection"
e2e_keys Escape k Enter
check "and the next experiment opens" e2e_wait "Experiments › search-ranking"
e2e_keys q
check "q quits with status 0" e2e_wait "EXITED 0"
e2e_stop

# Slow answers: loads and a run lookup still in flight when the operator moves on.
./mltop-sim --port 0 --seed 7 >"$E2E_TMP/sim.out" 2>"$E2E_TMP/sim.err" &
E2E_PIDS="$!"
e2e_until 5000 grep -qs listening "$E2E_TMP/sim.out" || { echo "FAIL the simulator did not start"; exit 1; }
URL=$(sed -n 's/^listening on //p' "$E2E_TMP/sim.out")
curl -s -X POST -H 'Content-Type: application/json' "$URL/-/sim/faults" \
	-d '{"prefix":"/api/2.0/mlflow/runs/search","kind":"delay","delay_ms":1500}' >/dev/null
e2e_start 140 45 "$MLTOP --mlflow $URL --cache $E2E_TMP/slow.db"
check "slow: the experiments list comes" e2e_wait "churn-weekly"
e2e_keys Enter
check "slow: an experiment opens, its runs loading" e2e_wait "Experiments › churn-weekly"
e2e_keys 2
check "slow: the registry" e2e_wait "fraud-detector"
e2e_keys j Enter
check "slow: a model's versions" e2e_wait "champion v2"
e2e_keys Enter
check "slow: the version's run is being looked up" e2e_wait "Looking up run"
e2e_keys Escape
check "slow: Esc during the lookup goes back to the runs" e2e_wait_gone "Looking up run"
e2e_keys Escape j Enter
check "slow: another experiment opens while the first still loads" \
	e2e_wait "Experiments › search-ranking"
e2e_keys Escape j Enter
check "slow: and a third" e2e_wait "Experiments › fraud-detection"
check "slow: whose runs come" e2e_wait "STATUS" 20
e2e_keys q
check "slow: q quits with status 0" e2e_wait "EXITED 0"
e2e_stop

# A session that leaves an experiment open (the cache remembers it), in a cache of its own; then
# no MLflow is configured for the next runs.
export XDG_CACHE_HOME="$E2E_TMP/cache-reopen"
mkdir -p "$XDG_CACHE_HOME"
e2e_start 140 45 "$MLTOP --demo"
check "reopen: the experiments list comes" e2e_wait "churn-weekly"
e2e_keys Enter
check "reopen: an experiment is open" e2e_wait "Experiments › churn-weekly"
e2e_keys q
check "reopen: q quits with status 0" e2e_wait "EXITED 0"
e2e_stop
e2e_start 120 40 "$MLTOP"
check "no MLflow: the panel says what it needs" e2e_wait "needs an MLflow tracking server"
e2e_keys q
check "no MLflow: q quits with status 0" e2e_wait "EXITED 0"
e2e_stop
exits() {
	"$@" >"$E2E_TMP/out" 2>"$E2E_TMP/err"
	rc=$?
	[ "$rc" -eq 0 ] || { echo "exit status $rc: $*"; cat "$E2E_TMP/err"; }
	[ "$rc" -eq 0 ]
}
check "no MLflow: --info exits normally" exits "$MLTOP" --info
check "no MLflow: --snapshot exits normally" exits "$MLTOP" --snapshot
check "MLFLOW_TRACKING_URI=databricks: --info exits normally" \
	exits env MLFLOW_TRACKING_URI=databricks "$MLTOP" --info
check "MLFLOW_TRACKING_URI=databricks: --snapshot exits normally" \
	exits env MLFLOW_TRACKING_URI=databricks "$MLTOP" --snapshot
e2e_done
