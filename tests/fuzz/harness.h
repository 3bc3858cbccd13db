// The fuzz harnesses as plain functions: libFuzzer entry points call them, and so does the
// corpus replay test of ordinary host builds. A finding prints why and traps.
#pragma once

#include <cstddef>
#include <cstdint>

namespace keel::fuzz {

// The DTB reader and make_boot_params over one input blob.
void run_fdt_input(const uint8_t* data, size_t size);

// The booted host kernel (restored from a snapshot), then the bounded event sequence the input
// decodes to, each event checked in lockstep against the spec (tests/diff/lockstep.h).
void run_syscall_input(const uint8_t* data, size_t size);

// What run_syscall_input has checked in this process.
struct FuzzStats {
  uint64_t inputs = 0, events = 0, syscalls = 0;  // events: every kernel entry checked
};
const FuzzStats& syscall_stats();

// Planted kernel bug (kernel/lib/mutation.h, host builds) that run_syscall_input switches on
// after each boot; 0 = none. For checking that the checks catch bugs.
void set_planted_mutant(unsigned m);

// How often run_syscall_input compares the whole state (diff::LockstepConfig): every this many
// events, and at the end of each input; 1 (every event) unless set before the first input.
void set_state_check_interval(size_t events);

// Reports a finding on stderr and traps, so libFuzzer (or the replay test) sees a crash.
[[noreturn]] void finding(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

}  // namespace keel::fuzz
