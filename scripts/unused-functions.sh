#!/bin/sh
# Lists the functions of mltop (clients/ panels/ tui/ themes/) that nothing calls: a function
# defined with external linkage in build/OBJ.o whose name appears in no source file other than
# its own .c and .h. With -t, a name that appears only in tests/ counts as unused too (a test of
# a function nothing else calls keeps nothing alive). Needs the objects of `make`.
# Prints "file.c: name [tests]" per function; exits 1 when it printed any.
set -eu
build=${BUILD:-build}
tests_count=1
[ "${1:-}" = "-t" ] && tests_count=0
srcs=$(find clients panels tui themes sim bench tests -name '*.[ch]' | sort)
found=0
for obj in $(find "$build/clients" "$build/panels" "$build/tui" "$build/themes" -name '*.o' \
	-not -path '*/asan/*' | sort); do
	rel=${obj#"$build"/}
	c=${rel%.o}.c
	h=${rel%.o}.h
	[ -f "$c" ] || continue
	for name in $(nm --defined-only -g "$obj" | awk '$2 == "T" { print $3 }'); do
		others=$(echo "$srcs" | grep -vx -e "$c" -e "$h" | xargs grep -lw -- "$name" || true)
		nontest=$(echo "$others" | grep -v '^tests/' | grep . || true)
		intest=$(echo "$others" | grep '^tests/' | grep . || true)
		[ -n "$nontest" ] && continue
		if [ -n "$intest" ] && [ "$tests_count" = 1 ]; then continue; fi
		# called inside its own .c (beyond its definition): not unused, only not static
		uses=$(grep -cw -- "$name" "$c" || true)
		[ "$uses" -gt 1 ] && [ -z "$intest" ] && { echo "$c: $name (only its own file: make it static)"; found=1; continue; }
		echo "$c: $name${intest:+ [tests: $(echo "$intest" | tr '\n' ' ')]}"
		found=1
	done
done
exit $found
