#!/bin/sh
# conformance.sh [DRG] [SHARED_CONFORMANCE_DIR] [THREADS]: groups every full
# conformance set of ../shared/conformance with its spec and prints a table
# of cases and mismatches on (status, mdc, adrg, drg) per version.  Exit 0
# only when every version agrees on every case.  Spec id = folder name with
# '_' -> '-', except chs_drg_11 / chs_drg_10 / chs_drg_20 -> chs-drg-1.1 / 1.0 / 2.0.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
drg=${1:-$root/build/drg}
conf=${2:-$root/../shared/conformance}
threads=${3:-2}
[ -x "$drg" ] || { echo "no drg at $drg (build first)"; exit 2; }
[ -d "$conf" ] || { echo "no conformance sets at $conf"; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
total=0 bad=0 failed=0
printf '%-16s %-16s %8s %10s\n' folder spec cases mismatches
for dir in "$conf"/*/; do
	v=$(basename "$dir")
	[ -f "$dir/cases.csv" ] && [ -f "$dir/expected.csv" ] || continue
	case $v in
	chs_drg_11) spec=chs-drg-1.1 ;;
	chs_drg_10) spec=chs-drg-1.0 ;;
	chs_drg_20) spec=chs-drg-2.0 ;;
	*) spec=$(echo "$v" | tr _ -) ;;
	esac
	if [ ! -f "$root/grouper-specs/$spec.xml" ]; then
		printf '%-16s %-16s %8s %10s\n' "$v" "$spec" - "no spec"
		continue
	fi
	"$drg" group --spec "$spec" --in "$dir/cases.csv" --out "$tmp/out.csv" --threads "$threads" 2>/dev/null || true
	cut -d, -f1-5 "$tmp/out.csv" > "$tmp/got"
	cut -d, -f1-5 "$dir/expected.csv" > "$tmp/exp"
	n=$(($(wc -l < "$tmp/exp") - 1))
	m=$(diff "$tmp/exp" "$tmp/got" | grep -c '^<' || true)
	printf '%-16s %-16s %8d %10d\n' "$v" "$spec" "$n" "$m"
	total=$((total + n)) bad=$((bad + m))
	[ "$m" -eq 0 ] || failed=1
done
printf '%-16s %-16s %8d %10d\n' total "" "$total" "$bad"
exit $failed
