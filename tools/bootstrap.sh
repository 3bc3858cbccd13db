#!/usr/bin/env bash
# Installs the Debian packages keel's builds and tests need. Idempotent, and quick when all
# are present (no apt-get update then).
set -euo pipefail

packages=(cmake ninja-build clang lld llvm libclang-rt-14-dev g++ libgtest-dev libgmock-dev qemu-system-arm
          device-tree-compiler python3 git clang-format clang-tidy u-boot-qemu)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "bootstrap: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
