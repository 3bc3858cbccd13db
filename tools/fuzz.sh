#!/usr/bin/env bash
# Builds the `fuzz` preset (clang, libFuzzer, ASan + UBSan) and runs each fuzzer for a while,
# starting from the committed corpus; prints executions, exec/s and coverage per fuzzer, and for
# the syscall fuzzer (every event checked in lockstep against the spec) the events checked.
#
#   tools/fuzz.sh [seconds]            each fuzzer runs this long (default 60)
#   tools/fuzz.sh --merge [seconds]    also merge what was found into tests/fuzz/corpus/
#   tools/fuzz.sh --hunt [seconds]     for each planted kernel bug (kernel/lib/mutation.h) the
#                                      syscall corpus does not catch yet, fuzz with it switched on
#                                      (up to seconds each) and add the input that catches it
#   tools/fuzz.sh --long syscalls      the long run: the syscall fuzzer built by the fuzz-long
#                                      preset (-O2, UBSan, no ASan) on each core (two at most), in
#                                      chunks of up to 10 minutes, until that many syscalls (and
#                                      the other kernel entries between them) have been checked;
#                                      prints running totals and the rate
#
# The syscall fuzzer compares the whole state with the spec's at the end of each input and every
# event's results at once (KEEL_FUZZ_STATE_CHECK=1 compares the state after every event, as the
# corpus replay in the test suite and the hunt's replays do).
#
# Environment: KEEL_FUZZ_BUILD_DIR (default build/fuzz); KEEL_FUZZ_MAX_LEN overrides the input
# size limit (8192 bytes for DTBs, which holds QEMU's, 2048 for syscall sequences).
# Exit status 1 when a fuzzer found something; the reproducer's path is printed. Replay one with
#   KEEL_FUZZ_TRACE=1 <build>/tests/fuzz/keel_<name>_fuzz <file>
set -euo pipefail
cd "$(dirname "$0")/.."

mode=run
case "${1:-}" in
  --merge) mode=merge; shift ;;
  --hunt) mode=hunt; shift ;;
  --long) mode=long; shift ;;
esac
seconds=${1:-60}
[[ $seconds =~ ^[0-9]+$ ]] || { echo "usage: tools/fuzz.sh [--merge|--hunt] [seconds] | --long syscalls" >&2; exit 2; }
preset=fuzz
[ "$mode" = long ] && preset=fuzz-long
build=${KEEL_FUZZ_BUILD_DIR:-build/$preset}

if ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1 &&
   ! clang++ -print-file-name=libclang_rt.fuzzer-x86_64.a 2>/dev/null | grep -q /; then
  echo "fuzz: no libFuzzer runtime found (Debian: apt-get install libclang-rt-14-dev)" >&2
  exit 2
fi

# The oracle allocates on every step: ASan's allocation stack traces would cost a third of the
# run time; a finding still has its own stack trace.
export ASAN_OPTIONS=${ASAN_OPTIONS:-malloc_context_size=0}

cmake --preset "$preset" -B "$build" >/dev/null
targets=(keel_fdt_fuzz keel_syscall_fuzz)
[ "$mode" = hunt ] && targets+=(keel_refinement_campaign)
[ "$mode" = long ] && targets=(keel_syscall_fuzz)
cmake --build "$build" -j2 --target "${targets[@]}"

# Each planted bug in turn: already caught by a corpus input (a replay ends in a finding), or
# caught by a seeded random lockstep run, whose failing boot is transcribed into a fuzz input
# (keel_refinement_campaign --fuzz-input), or else fuzzed for; the catching input joins the
# corpus once a replay of it alone is seen to catch the bug.
hunt() {
  local fuzzer="$build/tests/fuzz/keel_syscall_fuzz" corpus=tests/fuzz/corpus/syscall m=1 status
  local campaign="$build/tests/diff/keel_refinement_campaign" findings="$build/fuzz-findings/hunt"
  mkdir -p "$findings"
  while :; do
    set +e
    KEEL_FUZZ_STATE_CHECK=1 KEEL_FUZZ_MUTANT=$m "$fuzzer" -runs=0 -artifact_prefix="$build/fuzz-findings/replay-" "$corpus" \
      >"$build/hunt-$m.log" 2>&1
    status=$?
    set -e
    [ "$status" -eq 3 ] && break  # no mutant $m: done
    if [ "$status" -ne 0 ]; then
      echo "fuzz: mutant $m: caught by the corpus"
      m=$((m + 1))
      continue
    fi
    rm -f "$findings"/*
    "$campaign" --seconds "$seconds" --seed 1 --mutant "$m" --fuzz-input "$findings/crash-seeded" \
      >>"$build/hunt-$m.log" 2>&1 || true
    if [ ! -f "$findings/crash-seeded" ] ||
       KEEL_FUZZ_MUTANT=$m "$fuzzer" "$findings/crash-seeded" >>"$build/hunt-$m.log" 2>&1; then
      rm -f "$findings"/*
      KEEL_FUZZ_MUTANT=$m "$fuzzer" -max_total_time="$seconds" -max_len=2048 -artifact_prefix="$findings/" \
        "$build/fuzz-corpus/syscall" "$corpus" >>"$build/hunt-$m.log" 2>&1 || true
    fi
    local found_input
    found_input=$(ls "$findings"/crash-* 2>/dev/null | head -n 1 || true)
    if [ -n "$found_input" ]; then
      cp "$found_input" "$corpus/mutant-$m-$(sha1sum <"$found_input" | cut -c1-40)"
      echo "fuzz: mutant $m: caught, input added to $corpus"
    else
      echo "fuzz: mutant $m: NOT caught in ${seconds}s (log: $build/hunt-$m.log)"
    fi
    m=$((m + 1))
  done
}
if [ "$mode" = hunt ]; then
  mkdir -p "$build/fuzz-corpus/syscall"
  hunt
  exit 0
fi

# A number from the syscall fuzzer's closing stats line in a log (1 inputs, 2 events, 3 syscalls);
# 0 when there is none (a finding ends the run before it).
fuzz_stat() {
  local n
  n=$(sed -n "s/^keel fuzz stats: \([0-9]*\) inputs, \([0-9]*\) events checked in lockstep, \([0-9]*\) of them syscalls.*/\\$2/p" "$1" | tail -n 1)
  echo "${n:-0}"
}

long_run() {
  local target=$1 fuzzer="$build/tests/fuzz/keel_syscall_fuzz" work="$build/fuzz-corpus/syscall"
  local findings="$build/fuzz-findings/long" jobs chunk=30 events=0 syscalls=0 inputs=0 start=$SECONDS
  jobs=$(nproc)
  [ "$jobs" -gt 2 ] && jobs=2
  mkdir -p "$work" "$findings"
  echo "fuzz: long run to $target syscalls on $jobs cores (logs: $build/long-*.log)"
  while [ "$syscalls" -lt "$target" ]; do
    local pids=() status=0 j log
    for j in $(seq 1 "$jobs"); do
      "$fuzzer" -max_total_time="$chunk" -max_len=2048 -print_final_stats=1 -artifact_prefix="$findings/" \
        "$work" tests/fuzz/corpus/syscall >"$build/long-$j.log" 2>&1 &
      pids+=($!)
    done
    for j in "${pids[@]}"; do wait "$j" || status=1; done
    for j in $(seq 1 "$jobs"); do
      log="$build/long-$j.log"
      inputs=$((inputs + $(fuzz_stat "$log" 1))) events=$((events + $(fuzz_stat "$log" 2)))
      syscalls=$((syscalls + $(fuzz_stat "$log" 3)))
      if [ "$status" -ne 0 ]; then
        grep -E 'keel fuzz finding|ERROR: |SUMMARY: |runtime error|Test unit written' "$log" |
          head -n 6 | sed 's/^/  /' || true
      fi
    done
    local elapsed=$((SECONDS - start > 0 ? SECONDS - start : 1))
    echo "fuzz: long run: ${elapsed} s, $inputs inputs, $events events checked ($syscalls syscalls)," \
      "$((events / elapsed)) events a second"
    if [ "$status" -ne 0 ]; then
      echo "fuzz: long run FOUND SOMETHING (findings in $findings)"
      exit 1
    fi
    # The last chunk runs about as long as the events left need, at the rate so far.
    chunk=$(( (target - syscalls) * elapsed / (syscalls > 0 ? syscalls : 1) + 5 ))
    [ "$chunk" -gt 600 ] && chunk=600
  done
  echo "fuzz: long run done: $events events ($syscalls syscalls) in $inputs inputs, $((SECONDS - start)) s"
}
if [ "$mode" = long ]; then
  long_run "$seconds"
  exit 0
fi

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
  events=$([ "$name" = syscall ] && fuzz_stat "$log" 2 || true)
  [ -n "$events" ] && echo "fuzz: $name: $events syscalls and other kernel entries checked in lockstep against the spec" \
    "($((events / (seconds > 0 ? seconds : 1))) a second)"
  if [ "$status" -ne 0 ]; then
    found=1
    echo "fuzz: $name FOUND SOMETHING (exit $status):"
    grep -E 'keel fuzz finding|ERROR: |SUMMARY: |runtime error' "$log" | head -n 5 | sed 's/^/  /' || true
    grep -oE "Test unit written to [^ ]+" "$log" | sed 's/^/  /' || true
  fi
  if [ "$mode" = merge ]; then
    "$build/tests/fuzz/keel_${name}_fuzz" -merge=1 -max_len="$max_len" "tests/fuzz/corpus/$name" "$work" \
      >>"$log" 2>&1 && echo "fuzz: $name: merged into tests/fuzz/corpus/$name"
  fi
done
exit "$found"
