#!/usr/bin/env bash
# Installs every Debian 12 package vmmsim needs to build, test and benchmark (spin: bench/spin/).
# clang and libclang-rt-14-dev are for make fuzz (libFuzzer); libunicorn-dev and gcc-multilib for the
# emulated i386 VxD images (src/emu/, tests/emu/). Runs as root (or through sudo when available); does nothing when all are present.
set -euo pipefail
pkgs=(build-essential g++ cmake ninja-build pkg-config
      libboost-context-dev libboost-dev liblua5.4-dev lua5.4
      libgtest-dev libgmock-dev libbenchmark-dev libcli11-dev nlohmann-json3-dev libfmt-dev
      libxxhash-dev valgrind jq spin
      clang libclang-rt-14-dev   # clang and libFuzzer: make fuzz
      libunicorn-dev gcc-multilib)  # issue 20: i386 VxD images run under Unicorn; gcc -m32 builds the test images
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
