#!/bin/sh
# The mouse, as a terminal reports it (X10 encoding, which screen-256color's terminfo names): a
# click on a tab switches to it, a click selects a row, a double click opens it, the wheel
# scrolls; with mouse = false nothing is reported and the keys still work.
. tests/e2e/lib.sh
MLTOP="$PWD/mltop"

# press BUTTON COL ROW: a press and its release at 0-based COL, ROW.
press() {
	e2e_keys -l "$(python3 -c 'import sys
b, x, y = map(int, sys.argv[1:])
p = lambda c: "\033[M" + chr(32 + c) + chr(33 + x) + chr(33 + y)
sys.stdout.write(p(b) + (p(3) if b < 64 else ""))' "$@")"
}
# dclick COL ROW: two clicks, written apart as a hand makes them (curses keeps only the last
# event of those that arrive in one read).
dclick() {
	press 0 "$1" "$2"
	press 0 "$1" "$2"
}
footer() { e2e_screen | tail -n 1; }
footer_has() { footer | grep -qF -- "$1"; }

e2e_start 100 20 "$MLTOP --demo"
check "the demo lists its experiments" e2e_wait "churn-weekly"
check "and asks the terminal for mouse reports" sh -c "[ \"\$(tmux -L $E2E_SOCK display -p -t t '#{mouse_any_flag}')\" = 1 ]"
row3=$(e2e_screen | sed -n 7p | awk '{print $1}')
dclick 5 6
check "a double click on the third row opens that experiment ($row3)" e2e_wait "Experiments › $row3"
check "its runs are listed with a position" e2e_until 5000 footer_has "runs"
press 0 5 5
press 65 5 8
check "a click and the wheel (3 lines) put the cursor on the fifth run" e2e_until 3000 footer_has "row 5 of"
press 64 5 8
check "the wheel up goes back" e2e_until 3000 footer_has "row 2 of"
press 0 20 1
check "a click on the Registry tab opens it" e2e_wait "Registry › "
e2e_keys q
check "mltop quits" e2e_wait "EXITED 0"
e2e_stop

printf '[general]\nmouse = false\n' >"$XDG_CONFIG_HOME/mouse.ini"
e2e_start 100 20 "$MLTOP --demo -c $XDG_CONFIG_HOME/mouse.ini"
check "with mouse = false the demo starts" e2e_wait "Experiments ›"
check "and asks the terminal for no mouse reports" sh -c "[ \"\$(tmux -L $E2E_SOCK display -p -t t '#{mouse_any_flag}')\" = 0 ]"
e2e_keys q
check "mltop quits" e2e_wait "EXITED 0"
e2e_done
