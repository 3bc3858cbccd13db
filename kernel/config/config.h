// Compile-time configuration of the kernel; values fix parts of the seL4 ABI (reference §0.1).
#pragma once

#include "kernel/lib/types.h"

#ifndef KEEL_ALLOW_SMC_CALLS
#define KEEL_ALLOW_SMC_CALLS 1
#endif
#ifndef KEEL_ROOT_CNODE_SIZE_BITS
#define KEEL_ROOT_CNODE_SIZE_BITS 12
#endif
#ifndef KEEL_HOST_CHECKS
#define KEEL_HOST_CHECKS 0
#endif
#ifndef KEEL_NUM_DOMAINS
#define KEEL_NUM_DOMAINS 1
#endif
#ifndef KEEL_BENCHMARK
#define KEEL_BENCHMARK 0
#endif
#ifndef KEEL_FASTPATH
#define KEEL_FASTPATH 1
#endif
#ifndef KEEL_DEBUG_BUILD
#define KEEL_DEBUG_BUILD 1
#endif

namespace keel::config {

// Whether the root task receives the master SMC cap in slot 15 (seL4: KernelAllowSMCCalls).
// The SMC code is compiled and tested either way.
inline constexpr bool kAllowSmcCalls = KEEL_ALLOW_SMC_CALLS != 0;
inline constexpr unsigned kRootCNodeSizeBits = KEEL_ROOT_CNODE_SIZE_BITS;
static_assert(kRootCNodeSizeBits >= 7 && kRootCNodeSizeBits <= 26);
// Host builds check what the code's structure promises (decode writes no kernel memory).
inline constexpr bool kCheckDecodeReadOnly = KEEL_HOST_CHECKS != 0;
// Benchmark builds let EL0 read the PMU cycle counter.
inline constexpr bool kBenchmark = KEEL_BENCHMARK != 0;
// Debug builds (seL4: KernelDebugBuild) answer the debug syscalls; release builds treat their
// numbers as unknown syscalls, as seL4 does when they are configured out.
inline constexpr bool kDebugBuild = KEEL_DEBUG_BUILD != 0;
// seL4's KernelPrinting defaults to KernelDebugBuild; keel has the one switch for both, so a
// release kernel neither prints nor answers DebugPutChar and DebugDumpScheduler.
inline constexpr bool kPrinting = kDebugBuild;
// seL4 KernelFastpath: Call and ReplyRecv take the IPC fastpath when its checks pass (host
// builds switch it at run time, kernel/core/fastpath.h).
inline constexpr bool kFastpath = KEEL_FASTPATH != 0;

inline constexpr unsigned kNumPriorities = 256;
inline constexpr unsigned kNumDomains = KEEL_NUM_DOMAINS;
static_assert(kNumDomains >= 1 && kNumDomains <= 256);
// seL4: two schedule entries with one domain (one used, one end marker), else 100.
inline constexpr unsigned kNumDomainSchedules = kNumDomains == 1 ? 2 : 100;
inline constexpr unsigned kTimeSliceTicks = 5;
inline constexpr unsigned kTimerTickMs = 2;
inline constexpr unsigned kRetypeFanOutLimit = 256;
inline constexpr unsigned kMaxNumBootinfoUntypedCaps = 230;
inline constexpr unsigned kResetChunkBits = 8;
inline constexpr unsigned kMaxWorkUnitsPerPreemption = 100;
// The highest IRQ number (seL4 maxIRQ of qemu-arm-virt: the GIC's 160 lines).
inline constexpr word_t kMaxIrq = 159;

}  // namespace keel::config
