#!/bin/sh
# mltop --snapshot: the shell's screens at 80x24 and 120x40 against golden files, the exit codes,
# and a dead source shown as such.
. tests/e2e/lib.sh
MLTOP="$PWD/mltop"
export LANG=C.UTF-8 LC_ALL=C.UTF-8

golden() { # NAME FILE: compare FILE with tests/golden/NAME.txt (UPDATE_GOLDEN=1 rewrites it)
	g="tests/golden/$1.txt"
	if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
		cp "$2" "$g"
		return 0
	fi
	[ -f "$g" ] || { echo "no golden file $g (run with UPDATE_GOLDEN=1)"; return 1; }
	diff -u "$g" "$2"
}

for size in 80x24 120x40; do
	"$MLTOP" --snapshot --size "$size" >"$E2E_TMP/out" 2>"$E2E_TMP/err"
	check "snapshot $size with no source exits 0" [ $? -eq 0 ]
	check "snapshot $size matches its golden screens" golden "shell_$size" "$E2E_TMP/out"
	check "snapshot $size has six panels" [ "$(grep -c '^=== ' "$E2E_TMP/out")" -eq 6 ]
done

"$MLTOP" --snapshot --size 100x30 --mlflow http://127.0.0.1:1 >"$E2E_TMP/out" 2>"$E2E_TMP/err"
rc=$?
check "a dead source makes the snapshot exit 1" [ "$rc" -eq 1 ]
check "the dead source is shown down in the header" grep -q "mlflow ● down" "$E2E_TMP/out"
check "and why, on its panel" grep -qi "refused" "$E2E_TMP/out"

MLFLOW_TRACKING_INSECURE_TLS=true "$MLTOP" --snapshot --size 140x30 --readonly \
	--mlflow https://127.0.0.1:1 >"$E2E_TMP/out" 2>"$E2E_TMP/err"
check "TLS not verified: the header says so" grep -q "TLS-UNVERIFIED" "$E2E_TMP/out"
check "--readonly: the header says READ-ONLY" grep -q "READ-ONLY" "$E2E_TMP/out"
"$MLTOP" --snapshot --size 140x30 --mlflow https://127.0.0.1:1 >"$E2E_TMP/out" 2>"$E2E_TMP/err"
check "TLS verified by default: no such badge" \
	sh -c "grep -q 'mlflow ●' $E2E_TMP/out && ! grep -q TLS-UNVERIFIED $E2E_TMP/out"

"$MLTOP" --snapshot --size 80x24 --bogus >"$E2E_TMP/out" 2>"$E2E_TMP/err"
check "a bad flag exits 2" [ $? -eq 2 ]
check "and says which" grep -q -- "--bogus" "$E2E_TMP/err"

printf '[general]\nthem = dark\n' >"$E2E_TMP/bad.ini"
"$MLTOP" -c "$E2E_TMP/bad.ini" --snapshot >"$E2E_TMP/out" 2>"$E2E_TMP/err"
check "an unknown config key exits 2" [ $? -eq 2 ]
check "naming file and line" grep -q "bad.ini:2" "$E2E_TMP/err"
# A corrupt cache is moved aside and rebuilt, and the operator is told on the screen.
head -c 5000 /dev/urandom >"$E2E_TMP/corrupt.db"
"$MLTOP" --snapshot --size 120x20 --cache "$E2E_TMP/corrupt.db" >"$E2E_TMP/out" 2>"$E2E_TMP/err"
check "a corrupt cache: the operator is told" grep -q "cache was corrupt: moved aside" "$E2E_TMP/out"
check "and the old file is kept aside" sh -c "ls $E2E_TMP/corrupt.db.corrupt-* >/dev/null"

# The example configuration of the README stays true.
awk '/^```ini/ {f = 1; next} /^```/ {f = 0} f' README.md |
	sed "s|/run/secrets/mlflow-token|$E2E_TMP/token|" >"$E2E_TMP/readme.ini"
echo secret-token >"$E2E_TMP/token"
chmod 600 "$E2E_TMP/token"
"$MLTOP" -c "$E2E_TMP/readme.ini" --info >"$E2E_TMP/out" 2>"$E2E_TMP/err"
check "the README's example configuration loads" grep -q "context   prod (danger)" "$E2E_TMP/out"
check "and --info shows where the token comes from, not the token" \
	sh -c "grep -q 'token from' $E2E_TMP/out && ! grep -q secret-token $E2E_TMP/out"
e2e_done
