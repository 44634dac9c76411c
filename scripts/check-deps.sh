#!/bin/sh
# The layering rule: tui -> panels -> clients -> (curl, cJSON, SQLite).
# clients/ never includes curses; panels/ never includes curl, SQLite or cJSON headers, nor the
# shell's own headers (tui/*.h other than tui/widgets/); widgets know no panel and no client;
# sim/ shares nothing with mltop.
bad=0
check() { # dir pattern message  (clients/err.h, the shared error type, is allowed everywhere)
	hits=$(grep -nE "$2" $1 2>/dev/null | grep -v '"clients/err.h"')
	if [ -n "$hits" ]; then echo "$hits" | sed "s|\$| <- $3|"; bad=1; fi
}
check "clients/*.c clients/*.h" '#include *[<"](n?curses|ncursesw/|tui/|panels/|themes/)' "clients/ must not draw"
check "panels/*.c panels/*.h" '#include *[<"](curl/|sqlite3|cjson/|cJSON)' "panels/ must not use curl, SQLite or cJSON"
check "panels/*.c panels/*.h" '#include *"tui/[a-z_]+\.h"' "panels/ reach the shell only through panel.h"
check "tui/widgets/*.c tui/widgets/*.h" '#include *"(panels|clients)/' "widgets know no panel and no source"
check "sim/*.c sim/*.h" '#include *"(tui|panels|clients|themes)/' "sim/ shares nothing with mltop"
check "themes/*.c themes/*.h" '#include *"(panels|clients)/' "themes know no panel and no source"
[ $bad -eq 0 ] && echo "check-deps: layering ok"
exit $bad
