#!/bin/sh
# make lint: formatting (clang-format --dry-run) and static analysis (cppcheck).
set -u
files=$(git ls-files '*.c' '*.h' 2>/dev/null || find . -name '*.[ch]' -not -path './build*')
rc=0
# shellcheck disable=SC2086 # a list of paths without spaces
clang-format --dry-run --Werror $files || rc=1
# shellcheck disable=SC2086 # a list of paths without spaces
cppcheck --quiet --error-exitcode=1 --std=c11 --inline-suppr \
	--enable=warning,performance,portability \
	--suppress=missingIncludeSystem --suppress=unknownMacro -I. $files || rc=1
[ $rc -eq 0 ] && echo "lint: clean"
exit $rc
