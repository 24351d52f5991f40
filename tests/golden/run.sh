#!/bin/sh
# run.sh DRG explain|dump SPEC [INPUT] EXPECTED: compares the explanation of
# INPUT's cases (or the image listing) with the golden file EXPECTED.  With
# DRG_UPDATE_GOLDEN=1 the golden file is rewritten instead (review the diff).
set -eu
drg=$1 mode=$2 spec=$3
if [ "$mode" = explain ]; then input=$4 expected=$5; else expected=$4; fi
got=$(mktemp)
trap 'rm -f "$got"' EXIT
if [ "$mode" = explain ]; then
	"$drg" explain --spec "$spec" --in "$input" > "$got"
else
	"$drg" dump --spec "$spec" > "$got"
fi
if [ "${DRG_UPDATE_GOLDEN:-0}" = 1 ]; then
	cp "$got" "$expected"
	echo "updated $expected"
	exit 0
fi
if ! diff -u "$expected" "$got"; then
	echo "$mode of $spec differs from $expected (DRG_UPDATE_GOLDEN=1 rewrites it)"
	exit 1
fi
echo "$mode of $spec matches $expected"
