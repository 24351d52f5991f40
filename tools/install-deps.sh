#!/bin/sh
# Installs the Debian packages this project needs to build, test and benchmark.
# Used by both README commands and by .ci/run. Idempotent; needs root (or sudo).
set -eu

PKGS="build-essential cmake pkg-config libxml2-dev libxml2-utils libpcre2-dev check libjemalloc-dev python3"

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -z "$missing" ]; then
	echo "install-deps: all packages present"
	exit 0
fi
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
