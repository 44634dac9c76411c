#!/bin/sh
# Escape sequences the terminfo does not know (End as ESC [ 4 ~ under TERM=xterm-256color, a
# function key with modifiers) are ignored whole: never read as Esc (back) followed by keys.
. tests/e2e/lib.sh
MLTOP="$PWD/mltop"

e2e_start 120 30 "env TERM=xterm-256color $MLTOP --demo"
check "the demo shows its experiments" e2e_wait "churn-weekly"
e2e_keys Enter
check "Enter opens the runs of an experiment" e2e_wait "Experiments › churn-weekly ·"
e2e_keys -l "$(printf '\033[4~')"
e2e_keys -l "$(printf '\033[1;5P')"
e2e_keys -l "$(printf '\033[200~')"
e2e_keys '?'
check "after three unknown sequences, the next key (?) still works" e2e_wait "Keys"
e2e_keys Escape
check "the help closes on Esc" e2e_wait_gone "Keys"
check "and the runs are still open (no Esc, [ or 4 was read from a sequence)" \
	e2e_wait "Experiments › churn-weekly ·" 1
e2e_keys Escape
check "a real Esc still goes back to the list" e2e_wait "Experiments · "

# ? lists every key once: no key label twice, Ctrl-Z there.
e2e_keys Enter '?'
check "? opens the keys of the runs view" e2e_wait "Keys · Experiments"
# The key column of the help box (the 12 columns after the frame), one key a line.
keys_listed() {
	e2e_screen | sed -n '4,$s/^[x│] //p' | cut -c1-12 | tr -s ' ' '\n' | grep -v '^[x│]*$'
}
no_key_twice() { [ -n "$(keys_listed)" ] && [ -z "$(keys_listed | sort | uniq -d)" ]; }
check "Ctrl-Z is listed" e2e_wait "Ctrl-Z" 1
check "and no key is listed twice" no_key_twice
e2e_keys Escape
check "the help closes" e2e_wait_gone "Keys ·"

# A narrow terminal cuts the panel's hints, never ? help and q quit.
# The footer is read once the screen is redrawn at 50 columns (the short tabs): before that it
# holds the wide footer, which has the two keys too.
footer_keeps() { e2e_screen | tail -n 1 | grep -qF "? help  q quit"; }
e2e_resize 50 20
check "at 50 columns the tabs are short" e2e_wait " 1 Exp   2 Reg"
check "and the footer keeps ? help and q quit" footer_keeps
e2e_keys q
check "mltop quits" e2e_wait "EXITED 0"
e2e_done
