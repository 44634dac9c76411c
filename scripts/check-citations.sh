#!/bin/sh
# check-citations: what a reader of mltop needs lives in the repository (docs/, or stated where it
# is used). Fails when a tracked file outside docs/ names one of the product documents kept
# outside the repository, the shared directory they live in, or a numbered section of theirs
# ("§4.1").
# Usage: sh scripts/check-citations.sh [DIR]   (DIR: the top of a git checkout, default .)
set -u
cd "${1:-.}" || exit 2
if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	echo "check-citations: not a git checkout: $(pwd)" >&2
	exit 2
fi
PATTERN='shared/|PRODUCT\.md|SCREENS\.md|ARCHITECTURE\.md|RELIABILITY\.md|PERFORMANCE\.md|specs/|ops-apis|mlflow-api|§ ?[0-9]'
# This script names the documents itself; docs/ may say where its facts were read.
found=$(git grep -n -I -E "$PATTERN" -- . ':(exclude)docs/' ':(exclude)scripts/check-citations.sh')
status=$?
if [ "$status" -gt 1 ]; then
	echo "check-citations: git grep failed ($status)" >&2
	exit 2
fi
if [ -n "$found" ]; then
	printf '%s\n' "$found"
	echo "check-citations: the lines above cite documents outside the repository; cite docs/ or" \
		"say it in the comment" >&2
	exit 1
fi
echo "check-citations: no citation of documents outside the repository"
