// keel benchmark root task: guest instructions per kernel round trip, read from the PMU cycle counter.
//
// Under QEMU `-icount shift=0` every guest instruction takes one virtual nanosecond and QEMU's
// cycle counter runs at 1 GHz of virtual time, so PMCCNTR_EL0 counts guest instructions and the
// figures repeat exactly from run to run. Without -icount they are wall-clock noise. EL0 may read
// the counter only under the benchmark kernel (KEEL_BENCHMARK), which bench-image carries.
#include <keel/runtime.h>
#include <keel/sel4.hpp>

namespace {

constexpr unsigned kWarmup = 50;
constexpr unsigned kRuns = 1000;
constexpr seL4_Word kPsciVersion = 0x84000000;
constexpr seL4_Word kPsciFeatures = 0x8400000a;
constexpr seL4_Word kSystemOff = 0x84000008;
constexpr keel::CNode kRoot = keel::kRootCNode;

seL4_Word g_samples[kRuns];

// The ISB keeps the read from moving across the code being measured on real hardware.
inline seL4_Word read_counter() {
  seL4_Word v;
  __asm__ __volatile__("isb\n\tmrs %0, pmccntr_el0" : "=r"(v) : : "memory");
  return v;
}

struct Stats {
  seL4_Word median, min, max;
};

void sort(seL4_Word* v, unsigned n) {
  for (unsigned i = 1; i < n; ++i) {
    const seL4_Word x = v[i];
    unsigned j = i;
    for (; j > 0 && v[j - 1] > x; --j) v[j] = v[j - 1];
    v[j] = x;
  }
}

template <typename Op>
Stats measure(Op op) {
  for (unsigned i = 0; i < kWarmup; ++i) op();
  for (unsigned i = 0; i < kRuns; ++i) {
    const seL4_Word start = read_counter();
    op();
    g_samples[i] = read_counter() - start;
  }
  sort(g_samples, kRuns);
  return Stats{g_samples[kRuns / 2], g_samples[0], g_samples[kRuns - 1]};
}

void report(const char* name, const Stats& s) {
  printf("bench %s: median %lu instructions (min %lu, max %lu, n=%u)\n", name, s.median, s.min, s.max, kRuns);
}

// A Call on the root CNode with label 0: decode fails at once and the error reply comes back.
seL4_Word call_with_bad_label(seL4_CPtr cap) {
  seL4_Word badge = 0, info = 0, m0 = 0, m1 = 0, m2 = 0, m3 = 0;
  keel_sys_send_recv(KEEL_SYSNO(seL4_SysCall), cap, &badge, seL4_MessageInfo_new(0, 0, 0, 0).words[0], &info,
                     &m0, &m1, &m2, &m3);
  return seL4_MessageInfo_get_label(seL4_MessageInfo_t{{info}});
}

seL4_Error smc(seL4_CPtr cap, seL4_Word x0, seL4_Word* result = nullptr) {
  seL4_ARM_SMCContext args = {}, out = {};
  args.x0 = x0;
  const seL4_Error e = keel::Smc{cap}.call(args, out);
  if (result != nullptr) *result = out.x0;
  return e;
}

// Each benchmark once, checked, before it is timed: a figure for a failing call means nothing.
bool check(const char* name, bool ok) {
  if (!ok) printf("bench %s: unexpected result, not measured\n", name);
  return ok;
}

void run_kernel_benchmarks() {
  report("empty (two counter reads, no kernel entry)", measure([] {}));
  if (keel_debug_kernel() == 0) {
    printf("keel bench: release kernel, no debug syscalls: debug_cap_identify not measured\n");
  } else if (check("debug_cap_identify",
                   seL4_DebugCapIdentify(seL4_CapInitThreadCNode) == seL4_CapTag_CNode)) {
    report("debug_cap_identify", measure([] { (void)seL4_DebugCapIdentify(seL4_CapInitThreadCNode); }));
  }
  if (check("call_cnode_bad_label", call_with_bad_label(seL4_CapInitThreadCNode) == seL4_IllegalOperation)) {
    report("call_cnode_bad_label (decode error reply)",
           measure([] { (void)call_with_bad_label(seL4_CapInitThreadCNode); }));
  }
}

void run_smc_benchmarks(seL4_CPtr version_cap) {
  seL4_Word x0 = 0;
  if (check("smc_call_psci_version", smc(seL4_CapSMC, kPsciVersion, &x0) == seL4_NoError && x0 == 0x10001)) {
    report("smc_call_psci_version (master cap)", measure([] { (void)smc(seL4_CapSMC, kPsciVersion); }));
  }
  if (check("smc_call_psci_version_badged",
            smc(version_cap, kPsciVersion, &x0) == seL4_NoError && x0 == 0x10001)) {
    report("smc_call_psci_version_badged (cap badged 0x84000000)",
           measure([version_cap] { (void)smc(version_cap, kPsciVersion); }));
  }
  // The same path up to the badge check, then the error reply: the difference is the SMC itself.
  if (check("smc_call_denied", smc(version_cap, kPsciFeatures) == seL4_IllegalOperation)) {
    report("smc_call_denied (badge mismatch, no SMC made)",
           measure([version_cap] { (void)smc(version_cap, kPsciFeatures); }));
  }
}

// A 4 KiB frame mapped and unmapped in the root task's own VSpace, with the level-3 table in
// place (seL4 16.0 release: about 400 instructions for a map alone).
seL4_CPtr ram_untyped(const seL4_BootInfo* bi) {
  for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; ++i) {
    if (!bi->untypedList[i].isDevice && bi->untypedList[i].sizeBits >= 16) return bi->untyped.start + i;
  }
  return 0;
}

void run_vspace_benchmarks(seL4_CPtr ut, seL4_CPtr first_slot) {
  constexpr seL4_Word kVa = 0x10000000;
  const seL4_CPtr pt = first_slot, frame = first_slot + 1;
  const bool made =
      ut != 0 &&
      seL4_Untyped_Retype(ut, seL4_ARM_PageTableObject, 0, seL4_CapInitThreadCNode, 0, 0, pt, 1) == 0 &&
      seL4_Untyped_Retype(ut, seL4_ARM_SmallPageObject, 0, seL4_CapInitThreadCNode, 0, 0, frame, 1) == 0 &&
      seL4_ARM_PageTable_Map(pt, seL4_CapInitThreadVSpace, kVa, seL4_ARM_Default_VMAttributes) == 0;
  auto map_unmap = [frame] {
    const seL4_Error e = seL4_ARM_Page_Map(frame, seL4_CapInitThreadVSpace, kVa, seL4_ReadWrite,
                                           seL4_ARM_Default_VMAttributes);
    return e == seL4_NoError && seL4_ARM_Page_Unmap(frame) == seL4_NoError;
  };
  if (check("page_map_unmap", made && map_unmap())) {
    report("page_map_unmap (4 KiB Page_Map + Page_Unmap)", measure([&] { (void)map_unmap(); }));
  }
}

// The peer of the switch benchmark: it only ever hands the CPU back.
alignas(16) unsigned char g_peer_stack[4096];
[[noreturn]] void yield_forever() {
  for (;;) seL4_Yield();
}

// A thread at the root task's priority in its CSpace and VSpace, running yield_forever.
bool start_yield_peer(seL4_CPtr ut, seL4_CPtr tcb) {
  seL4_UserContext regs = {};
  regs.pc = reinterpret_cast<seL4_Word>(&yield_forever);
  regs.sp = reinterpret_cast<seL4_Word>(g_peer_stack + sizeof g_peer_stack);
  return seL4_Untyped_Retype(ut, seL4_TCBObject, 0, seL4_CapInitThreadCNode, 0, 0, tcb, 1) == 0 &&
         seL4_TCB_Configure(tcb, 0, seL4_CapInitThreadCNode, 0, seL4_CapInitThreadVSpace, 0, 0,
                            seL4_CapInitThreadIPCBuffer) == 0 &&
         seL4_TCB_SetPriority(tcb, seL4_CapInitThreadTCB, seL4_MaxPrio) == 0 &&
         seL4_TCB_WriteRegisters(tcb, true, 0, 2, &regs) == 0;
}

// seL4_Yield alone at its priority (seL4 16.0 release: 314 instructions), then with a peer
// that yields straight back: two Yields and two thread switches per round trip.
void run_thread_benchmarks(seL4_CPtr ut, seL4_CPtr tcb) {
  report("yield (no other thread ready)", measure([] { seL4_Yield(); }));
  if (check("yield_switch", ut != 0 && start_yield_peer(ut, tcb))) {
    report("yield_switch_round_trip (Yield to a peer that Yields back: 2 switches)",
           measure([] { seL4_Yield(); }));
    (void)seL4_TCB_Suspend(tcb);
  }
}

void power_off(seL4_CPtr slot) {
  if (kRoot.mint(slot, kRoot, seL4_CapSMC, seL4_AllRights, kSystemOff) != seL4_NoError) return;
  printf("keel bench: done, powering off through an SMC cap badged 0x%lx (PSCI SYSTEM_OFF)\n", kSystemOff);
  (void)smc(slot, kSystemOff);
}

}  // namespace

void run_irq_benchmarks(const seL4_BootInfo* bi, seL4_CPtr first_slot);  // irq_bench.cc
void run_ipc_benchmarks(const seL4_BootInfo* bi, seL4_CPtr first_slot);  // ipc_bench.cc

int main(seL4_BootInfo* bi) {
  printf("keel bench: guest instructions per round trip, PMCCNTR_EL0 at EL0 (exact under -icount shift=0)\n");
  printf("keel bench: each figure includes the two counter reads (see 'empty'); %u warm-up runs, then %u\n",
         kWarmup, kRuns);
  run_kernel_benchmarks();
  run_vspace_benchmarks(ram_untyped(bi), bi->empty.start + 2);
  run_thread_benchmarks(ram_untyped(bi), bi->empty.start + 4);
  run_ipc_benchmarks(bi, bi->empty.start + 8);
  run_irq_benchmarks(bi, bi->empty.start + 16);
  // A release kernel has no DebugCapIdentify: a failed Mint below says the same.
  if (keel_debug_kernel() != 0 && keel::kMasterSmc.identify() != seL4_CapTag_SMC) {
    printf("keel bench: no master SMC cap in slot %u, SMC benchmarks skipped\n", unsigned{seL4_CapSMC});
    return 0;  // the runtime halts with seL4_DebugHalt
  }
  const seL4_CPtr version_cap = bi->empty.start;
  if (kRoot.mint(version_cap, kRoot, seL4_CapSMC, seL4_AllRights, kPsciVersion) == seL4_NoError) {
    run_smc_benchmarks(version_cap);
  }
  power_off(bi->empty.start + 1);
  return 0;  // fallback: seL4_DebugHalt
}
