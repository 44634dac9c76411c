#!/bin/sh
# Secrets are never drawn, logged or cached: mltop against a simulator of its own, with a bearer
# token for every source (MLflow, KServe, Alertmanager from token files of a context, the samples
# URL too), reads every panel and sends a canary and its rollback (whose requests go to the audit
# log). Then no token is on the screen, on stderr, in the cache file (its WAL and journal too),
# in mltop --audit --json or in --info, while the simulator did see them sent.
. tests/e2e/lib.sh
MLTOP="$PWD/mltop"
DB="$E2E_TMP/cache.db"
CONF="$E2E_TMP/config.ini"

e2e_write_sim secrets
printf 'mlflow-secret-0451\n' >"$E2E_TMP/mlflow.tok"
printf 'kserve-secret-0452\n' >"$E2E_TMP/kserve.tok"
printf 'alertmanager-secret-0453\n' >"$E2E_TMP/am.tok"
chmod 600 "$E2E_TMP"/*.tok
cat >"$CONF" <<EOF
[general]
context = prod
[context.prod]
mlflow = $SIM_URL
mlflow_token_file = $E2E_TMP/mlflow.tok
kserve = $SIM_URL
kserve_token_file = $E2E_TMP/kserve.tok
alertmanager = $SIM_URL
alertmanager_token_file = $E2E_TMP/am.tok
namespace = models
EOF
SECRETS="mlflow-secret-0451 kserve-secret-0452 alertmanager-secret-0453"

# nowhere FILE...: none of the secrets in any of the files (binary files read as bytes).
nowhere() {
	for s in $SECRETS; do
		for f in "$@"; do
			[ -f "$f" ] || continue
			if grep -aqF "$s" "$f"; then
				echo "$s found in $f"
				return 1
			fi
		done
	done
}

e2e_start 140 45 "$MLTOP -c $CONF --scrape $SIM_URL/metrics --refresh 1 --cache $DB 2>$E2E_TMP/stderr"
e2e_keys 3
check "Serving: the deployments, read with the tokens" e2e_wait "churn-classifier"
check "C plans the canary of v5" e2e_plan C "Canary churn-classifier v3 → v5 at 10 %" churn-classifier
e2e_keys y
check "the canary is sent" e2e_wait "done: every step written" 20
e2e_keys Escape
check "Serving shows the 90|10 split" e2e_wait "90|10" 20
check "R plans the rollback" e2e_plan R "Rollback churn-classifier v5 → v3 at 100 %" churn-classifier
e2e_typed churn-classifier
e2e_keys Enter
check "the rollback is sent" e2e_wait "done: every step written" 30
e2e_keys Escape 4
check "Alerts, read with its token" e2e_wait "Alerts · "
e2e_keys 2
check "Registry, read with its token" e2e_wait "registered models"
e2e_keys 6
check "the audit log has the writes" e2e_wait "rollback"
e2e_screen >"$E2E_TMP/screen"
check "no token on the screen" nowhere "$E2E_TMP/screen"
e2e_keys q
check "mltop quits" e2e_wait "EXITED 0"

check "the writes are in the audit log" sh -c "'$MLTOP' --audit --cache '$DB' | grep -q rollback"
"$MLTOP" --audit --json --cache "$DB" >"$E2E_TMP/audit.json" 2>&1
"$MLTOP" -c "$CONF" --info --cache "$DB" >"$E2E_TMP/info" 2>&1
check "no token in the cache file, its WAL or journal" nowhere "$DB" "$DB-wal" "$DB-journal"
check "no token in mltop --audit --json" nowhere "$E2E_TMP/audit.json"
check "no token in --info" nowhere "$E2E_TMP/info"
check "no token on stderr" nowhere "$E2E_TMP/stderr"
check "--info names where each token came from" grep -q "kserve.tok" "$E2E_TMP/info"
e2e_done
