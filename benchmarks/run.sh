#!/bin/sh
# run.sh [N] [SPEC-ID]: the benchmark table of benchmarks/README.md.
# Generates N (default 1,000,000) synthetic cases for the spec (default
# chs-drg-1.1) with gencases, then prints: the bench stages (medians of 5
# runs), instructions per grouping from callgrind, `drg group` end to end for
# 1 and 2 threads (median of 5 wall-clock runs), and the peak RSS of
# `drg group` with the compiled image.  Needs a Release-like build in build/.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-1000000} id=${2:-chs-drg-1.1}
b=$root/build
spec=$root/grouper-specs/$id.xml
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$b/benchmarks/gencases" "$spec" "$n" 1 > "$work/cases.csv"
"$b/drg" compile --spec "$spec" -o "$work/spec.img" --quiet
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "input:   $n cases, $(($(wc -c < "$work/cases.csv") / 1048576)) MiB, spec $id"
echo
"$b/benchmarks/bench" "$spec" "$work/cases.csv" --repeat 5

# instructions per grouping: the difference of two callgrind runs (setup cancels)
if command -v valgrind > /dev/null; then
	ir() {
		valgrind --tool=callgrind --callgrind-out-file="$work/cg" "$b/benchmarks/bench" "$spec" \
			"$work/cases.csv" --stage group --repeat 1 --group-n "$1" > /dev/null 2>&1
		callgrind_annotate "$work/cg" | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}'
	}
	a=$(ir 100000) c=$(ir 300000)
	echo "callgrind    $(( (c - a) / 200000 )) instructions per grouping"
fi

# drg group end to end, wall clock, median of 5, with the image (no XML compile);
# then the peak RSS of one such run
python3 - "$b/drg" "$work/spec.img" "$work/cases.csv" "$n" <<'PY'
import resource, statistics, subprocess, sys, time
drg, img, cases, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
def run(threads):
    t0 = time.monotonic()
    subprocess.run([drg, "group", "--spec", img, "--in", cases, "--threads", str(threads)],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.monotonic() - t0
for threads in (1, 2):
    med = statistics.median(run(threads) for _ in range(5))
    print("drg group %d thr %10.0f cases/s  (wall %.3f s, image, CSV file -> /dev/null)" % (threads, n / med, med))
print("peak RSS     %10.1f MB  (largest drg group run above)" % (resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024))
PY
