#!/bin/sh
# run.sh DRG SPEC_ID CASES EXPECTED: groups CASES with spec SPEC_ID and compares
# (id,status,mdc,adrg,drg) with EXPECTED row by row.  Exit 0 only when all agree.
set -eu
drg=$1 spec=$2 cases=$3 expected=$4
out=$(mktemp)
trap 'rm -f "$out" "$out.got" "$out.exp"' EXIT
"$drg" group --spec "$spec" --in "$cases" --out "$out" 2>/dev/null
cut -d, -f1-5 "$out" > "$out.got"
cut -d, -f1-5 "$expected" > "$out.exp"
if ! diff "$out.exp" "$out.got" > /dev/null; then
	echo "$spec: results differ from $expected:"
	diff "$out.exp" "$out.got" | head -20
	exit 1
fi
echo "$spec: $(($(wc -l < "$out.exp") - 1)) cases agree"
