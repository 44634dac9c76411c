#!/bin/sh
# The layering rule: tui -> panels -> clients -> (curl, cJSON, SQLite).
# clients/ never includes curses; panels/ never includes curl, SQLite or cJSON headers, nor the
# shell's own headers (tui/*.h other than tui/widgets/); widgets know no panel and no client;
# themes know no panel and no client; sim/ shares nothing with mltop.
# Every include counts, at any depth: each .c and .h is run through the preprocessor with the
# project's flags (-H lists every header it opens, nested ones with more dots), so a panel that
# includes a header that includes curl is caught, whatever the spelling of the #include line.
# clients/err.h, the shared error type, is allowed everywhere.
# Environment (the Makefile passes them): CC, DEPS_CFLAGS (the flags of the build).
set -u
cc=${CC:-cc}
cflags=${DEPS_CFLAGS:--std=c11 -D_XOPEN_SOURCE=700 -D_DEFAULT_SOURCE -I.}

# The forbidden headers of a source directory, as an extended regex on the path as the
# preprocessor opened it (system headers by their full path, the project's relative to the tree).
curses='(^|/)(n?curses|term|ncursesw/[a-z_]+)\.h$'
forbidden() {
	case "$1" in
	clients) echo "$curses|^(tui|panels|themes)/" ;;
	panels) echo '(^|/)(curl/|sqlite3\.h$|cjson/|cJSON\.h$)|^tui/[a-z_]+\.h$' ;;
	tui/widgets) echo '^(panels|clients)/' ;;
	themes) echo '^(panels|clients)/' ;;
	sim) echo '^(tui|panels|clients|themes)/' ;;
	esac
}
why() {
	case "$1" in
	clients) echo "clients/ must not draw" ;;
	panels) echo "panels/ must not use curl, SQLite or cJSON, and reach the shell only through panel.h" ;;
	tui/widgets) echo "widgets know no panel and no source" ;;
	themes) echo "themes know no panel and no source" ;;
	sim) echo "sim/ shares nothing with mltop" ;;
	esac
}

# check FILE REGEX MESSAGE: prints each forbidden header FILE reaches, with the chain of
# includes that leads to it; fails when there is one.
check() {
	# shellcheck disable=SC2086 # the flags are a list
	out=$($cc $cflags -H -E -o /dev/null -x c "$1" 2>&1) || {
		echo "$1: the preprocessor failed:"
		echo "$out" | head -n 5
		return 1
	}
	echo "$out" | awk -v file="$1" -v re="$2" -v msg="$3" '
		/^\.+ / {
			depth = length($1); path = $2; sub(/^\.\//, "", path)
			if (cut && depth > cut) next # under a header already reported
			cut = 0; chain[depth] = path
			if (path == "clients/err.h" || path !~ re) next
			cut = depth
			line = file
			for (i = 1; i <= depth; i++) line = line " -> " chain[i]
			print line " <- " msg; bad = 1
		}
		END { exit bad }'
}

bad=0
for dir in clients panels tui/widgets themes sim; do
	re=$(forbidden "$dir")
	msg=$(why "$dir")
	for f in "$dir"/*.c "$dir"/*.h; do
		[ -f "$f" ] || continue
		check "$f" "$re" "$msg" || bad=1
	done
done
[ $bad -eq 0 ] && echo "check-deps: layering ok"
exit $bad
