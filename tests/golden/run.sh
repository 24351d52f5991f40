#!/bin/sh
# run.sh EXPECTED DRG ARGS...: runs `DRG ARGS...` and compares its standard
# output with the golden file EXPECTED.  With DRG_UPDATE_GOLDEN=1 the golden
# file is rewritten instead (review the diff).
set -eu
expected=$1
shift
got=$(mktemp)
trap 'rm -f "$got"' EXIT
"$@" > "$got" 2>/dev/null || [ $? -eq 3 ]
if [ "${DRG_UPDATE_GOLDEN:-0}" = 1 ]; then
	cp "$got" "$expected"
	echo "updated $expected"
	exit 0
fi
if ! diff -u "$expected" "$got"; then
	echo "output of '$*' differs from $expected (DRG_UPDATE_GOLDEN=1 rewrites it)"
	exit 1
fi
echo "'$*' matches $expected"
