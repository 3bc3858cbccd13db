#!/usr/bin/env bash
# Builds the `fuzz` preset (clang, libFuzzer, ASan + UBSan) and runs each fuzzer for a while,
# starting from the committed corpus; prints executions, exec/s and coverage per fuzzer.
#
#   tools/fuzz.sh [seconds]            each fuzzer runs this long (default 60)
#   tools/fuzz.sh --merge [seconds]    also merge what was found into tests/fuzz/corpus/
#
# Environment: KEEL_FUZZ_BUILD_DIR (default build/fuzz); KEEL_FUZZ_MAX_LEN overrides the input
# size limit (8192 bytes for DTBs, which holds QEMU's, 2048 for syscall sequences).
# Exit status 1 when a fuzzer found something; the reproducer's path is printed. Replay one with
#   KEEL_FUZZ_TRACE=1 <build>/tests/fuzz/keel_<name>_fuzz <file>
set -euo pipefail
cd "$(dirname "$0")/.."

merge=0
if [ "${1:-}" = "--merge" ]; then
  merge=1
  shift
fi
seconds=${1:-60}
[[ $seconds =~ ^[0-9]+$ ]] || { echo "usage: tools/fuzz.sh [--merge] [seconds]" >&2; exit 2; }
build=${KEEL_FUZZ_BUILD_DIR:-build/fuzz}

if ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1 &&
   ! clang++ -print-file-name=libclang_rt.fuzzer-x86_64.a 2>/dev/null | grep -q /; then
  echo "fuzz: no libFuzzer runtime found (Debian: apt-get install libclang-rt-14-dev)" >&2
  exit 2
fi

cmake --preset fuzz -B "$build" >/dev/null
cmake --build "$build" -j2 --target keel_fdt_fuzz keel_syscall_fuzz

found=0
for name in fdt syscall; do
  max_len=${KEEL_FUZZ_MAX_LEN:-$([ "$name" = fdt ] && echo 8192 || echo 2048)}
  work="$build/fuzz-corpus/$name"
  findings="$build/fuzz-findings/$name"
  mkdir -p "$work" "$findings"
  args=(-max_total_time="$seconds" -print_final_stats=1 -max_len="$max_len"
        -artifact_prefix="$findings/" "$work" "tests/fuzz/corpus/$name")
  [ -f "tests/fuzz/$name.dict" ] && args=(-dict="tests/fuzz/$name.dict" "${args[@]}")
  log="$build/fuzz-$name.log"
  echo "fuzz: $name for ${seconds}s (log: $log)"
  set +e
  "$build/tests/fuzz/keel_${name}_fuzz" "${args[@]}" >"$log" 2>&1
  status=$?
  set -e
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9a-zA-Z]+' "$log" | tail -n 1 || true)
  echo "fuzz: $name: ${runs:-?} executions, ${rate:-?} exec/s, ${cov:-no coverage line}"
  if [ "$status" -ne 0 ]; then
    found=1
    echo "fuzz: $name FOUND SOMETHING (exit $status):"
    grep -E 'keel fuzz finding|ERROR: |SUMMARY: |runtime error' "$log" | head -n 5 | sed 's/^/  /' || true
    grep -oE "Test unit written to [^ ]+" "$log" | sed 's/^/  /' || true
  fi
  if [ "$merge" -eq 1 ]; then
    "$build/tests/fuzz/keel_${name}_fuzz" -merge=1 -max_len="$max_len" "tests/fuzz/corpus/$name" "$work" \
      >>"$log" 2>&1 && echo "fuzz: $name: merged into tests/fuzz/corpus/$name"
  fi
done
exit "$found"
