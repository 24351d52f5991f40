#!/bin/sh
# run.sh DRG SPEC_ID CASES EXPECTED [THREADS]: groups CASES with spec SPEC_ID
# and compares (id,status,mdc,adrg,drg) with EXPECTED row by row.  Exit 0 only
# when all agree and drg reported nothing on stderr but its summary line.
set -eu
drg=$1 spec=$2 cases=$3 expected=$4 threads=${5:-1}
out=$(mktemp)
trap 'rm -f "$out" "$out.got" "$out.exp" "$out.err"' EXIT
if ! "$drg" group --spec "$spec" --in "$cases" --out "$out" --threads "$threads" 2>"$out.err"; then
	cat "$out.err"
	exit 1
fi
if grep -v '^drg: [0-9]* records:' "$out.err"; then
	echo "$spec: unexpected messages on stderr"
	exit 1
fi
cut -d, -f1-5 "$out" > "$out.got"
cut -d, -f1-5 "$expected" > "$out.exp"
if ! diff "$out.exp" "$out.got" > /dev/null; then
	echo "$spec: results differ from $expected:"
	diff "$out.exp" "$out.got" | head -20
	exit 1
fi
echo "$spec: $(($(wc -l < "$out.exp") - 1)) cases agree ($threads thread(s))"
