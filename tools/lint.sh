#!/usr/bin/env bash
# Lint: every tracked C/C++ file must match .clang-format, and the kernel-side sources must pass
# .clang-tidy (warnings are errors). Needs configured host and qemu-virt builds (./keel build).
set -euo pipefail
cd "$(dirname "$0")/.."

mapfile -t sources < <(git ls-files '*.cc' '*.h' '*.hpp' '*.c')
echo "lint: clang-format on ${#sources[@]} files"
clang-format --dry-run --Werror "${sources[@]}"

# clang-tidy over the code that runs in the kernel: the host database covers the portable core,
# the qemu-virt database the AArch64-only entry, machine and platform code.
host_srcs=$(git ls-files 'kernel/*.cc' 'arch/aarch64/object/*.cc' 'arch/aarch64/vspace/*.cc' 'host/*.cc' | grep -v '_test\.cc$')
target_srcs=$(git ls-files 'arch/aarch64/entry/*.cc' 'arch/aarch64/machine/*.cc' 'platform/qemu-virt/*.cc' | grep -v '_test\.cc$')
echo "lint: clang-tidy on $(echo $host_srcs $target_srcs | wc -w) files"
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
status=0
run-clang-tidy -quiet -j 2 -p build/host $host_srcs >"$logs/host.log" 2>&1 || status=1
run-clang-tidy -quiet -j 2 -p build/qemu-virt $target_srcs >"$logs/target.log" 2>&1 || status=1
if [ "$status" -ne 0 ]; then
  grep -hE 'error:|warning:' "$logs/host.log" "$logs/target.log" | sort -u | head -50
  echo "lint: clang-tidy failed"
  exit 1
fi
echo "lint: clean"
