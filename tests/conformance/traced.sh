#!/bin/sh
# traced.sh DRG SPEC_ID CASES EXPECTED: groups CASES with tracing on (drg
# explain, which runs every rule the walk reaches instead of skipping those
# whose guard fails) and compares each result row with EXPECTED, so the
# guarded fast path and the traced path are checked against the same answers.
set -eu
drg=$1 spec=$2 cases=$3 expected=$4
out=$(mktemp)
trap 'rm -f "$out" "$out.exp"' EXIT
"$drg" explain --spec "$spec" --in "$cases" 2>/dev/null | sed -n '/^case /{n;p;}' | cut -d, -f1-5 > "$out"
cut -d, -f1-5 "$expected" | tail -n +2 > "$out.exp"
if ! diff "$out.exp" "$out" > /dev/null; then
	echo "$spec: traced results differ from $expected:"
	diff "$out.exp" "$out" | head -20
	exit 1
fi
echo "$spec: $(wc -l < "$out") traced cases agree"
