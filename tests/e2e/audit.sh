#!/bin/sh
# The audit log end to end: a silence and its expiry made in the Alerts panel (against mltop-sim)
# are two rows of the log; the Audit panel says the chain is verified, filters with /, shows an
# entry in full on Enter; `mltop --audit` prints them oldest first, `--audit --json` as a JSON
# array with every field, `--audit --verify` checks the chain. Then a row edited in the file with
# sqlite3: --verify exits 1 naming it, the panel says where the chain breaks, and what the row
# now holds (an escape sequence) is printed as visible text, never sent to the terminal.
. tests/e2e/lib.sh
MLTOP="$PWD/mltop"
DB="$E2E_TMP/audit.db"

# an alert posted to mltop-sim's Alertmanager, on the wall clock (a silence starts now)
e2e_sim am --time-scale 1 --start-ms "$(($(date +%s) * 1000))" || { echo "FAIL the simulator did not start"; exit 1; }
curl -s -X POST -H 'Content-Type: application/json' "$SIM_URL/api/v2/alerts" -d '[
 {"labels":{"alertname":"ModelFeatureDrift","model":"churn-classifier","version":"v3",
  "severity":"critical"}, "annotations":{"summary":"drift on churn-classifier"}}]' >/dev/null
e2e_start 120 40 "$MLTOP --alertmanager $SIM_URL --refresh 1 --cache $DB"
e2e_keys 4
check "the alert is shown" e2e_wait "churn-classifier"
e2e_keys x
check "x asks for a duration" e2e_wait "silence for"
e2e_keys 30m Enter
check "then for a comment" e2e_wait "comment (required)"
e2e_keys "retrain scheduled" Enter
check "the matchers are shown before sending" e2e_wait "for 30m by "
e2e_keys y
check "the silence is made" e2e_wait "silenced by "
e2e_keys X
check "X asks first" e2e_wait "Expire silence "
e2e_keys y
check "the silence is expired" e2e_wait_gone "silenced by "

# ---- the Audit panel ----
e2e_keys 6
check "the panel verifies the chain on open" e2e_wait "chain verified (2 rows)"
check "both actions are listed" e2e_wait_re "silence .*after +ok"
check "the expiry too" e2e_wait_re "expire .*after +ok"
e2e_keys / expire Enter
check "/ filters the entries" e2e_wait "1 of 2 match"
check "the silence is filtered out" e2e_wait_gone "silence   "
e2e_keys Enter
check "Enter shows the entry in full" e2e_wait "audit row #2 in full (Esc back)"
check "every field" e2e_wait_re " HTTP status +-"
check "the chain's hashes" e2e_wait_re " prev hash +[0-9a-f]{64}"
check "the request and the answer" e2e_wait "ANSWER"
e2e_keys Escape
check "Esc goes back to the list" e2e_wait "1 of 2 match"
e2e_stop

# ---- mltop --audit ----
"$MLTOP" --cache "$DB" --audit >"$E2E_TMP/out" 2>"$E2E_TMP/err"
check "--audit exits 0" [ $? -eq 0 ]
check "--audit: a header" grep -qE '^TIME +USER@HOST +CONTEXT +ACTION +MODEL +FROM → TO +% +PHASE +RESULT +HTTP +REASON' "$E2E_TMP/out"
check "--audit: two rows, the oldest first" sh -c "sed -n '2p' '$E2E_TMP/out' | grep -q ' silence ' && sed -n '3p' '$E2E_TMP/out' | grep -q ' expire ' && [ \$(wc -l <'$E2E_TMP/out') -eq 3 ]"
"$MLTOP" --cache "$DB" --audit --context elsewhere >"$E2E_TMP/out" 2>/dev/null
check "--audit --context: none of another context's rows" [ "$(wc -l <"$E2E_TMP/out")" -eq 1 ]
"$MLTOP" --cache "$DB" --audit --context default >"$E2E_TMP/out" 2>/dev/null
check "--audit --context: that context's rows (not in the configuration)" [ "$(wc -l <"$E2E_TMP/out")" -eq 3 ]
"$MLTOP" --cache "$DB" --audit --json >"$E2E_TMP/json" 2>/dev/null
check "--audit --json exits 0" [ $? -eq 0 ]
check "--audit --json: every field of both rows, chained" python3 -c '
import json, sys
rows = json.load(open(sys.argv[1]))
keys = {"id", "time", "ts_ms", "user", "host", "context", "action", "model", "from", "to",
        "percent", "phase", "result", "detail", "request", "http_status", "reason",
        "prev_hash", "hash"}
assert len(rows) == 2, rows
assert all(set(r) == keys for r in rows), rows
assert [r["action"] for r in rows] == ["silence", "expire"], rows
assert rows[0]["prev_hash"] == "0" * 64 and rows[1]["prev_hash"] == rows[0]["hash"], rows
' "$E2E_TMP/json"
"$MLTOP" --cache "$DB" --audit --verify >"$E2E_TMP/out" 2>&1
check "--audit --verify: exit 0" [ $? -eq 0 ]
check "--audit --verify: the rows verified" grep -qx "audit chain: 2 rows verified" "$E2E_TMP/out"
"$MLTOP" --verify >"$E2E_TMP/out" 2>&1
check "--verify alone: a usage error, exit 2" [ $? -eq 2 ]
check "--verify alone: one line, and where to read more" sh -c "[ \$(wc -l <'$E2E_TMP/out') -eq 1 ] && grep -qF -- '--verify goes with --audit, without --json (see mltop --help)' '$E2E_TMP/out'"

# ---- a row edited in the file ----
sqlite3 "$DB" "DROP TRIGGER audit_no_update; UPDATE audit SET user = 'mallory' || char(27) || '[2J' WHERE id = 1"
"$MLTOP" --cache "$DB" --audit --verify >"$E2E_TMP/out" 2>&1
check "--verify: exit 1 on an edited row" [ $? -eq 1 ]
check "--verify: names it" grep -qF "audit chain broken at row #1: edited" "$E2E_TMP/out"
"$MLTOP" --cache "$DB" --audit >"$E2E_TMP/out" 2>&1
check "--audit: no escape byte printed" sh -c "! grep -q \"\$(printf '\\033')\" '$E2E_TMP/out'"
check "--audit: the escape shown as text" grep -qF 'mallory\e[2J' "$E2E_TMP/out"
e2e_start 120 40 "$MLTOP --cache $DB"
e2e_keys 6
check "the panel says where the chain breaks" e2e_wait "chain broken at row #1: edited"
e2e_stop
e2e_done
