// Planted bugs for checking the checkers (issue: "checks that bite"). Host test builds define
// KEEL_MUTATION_TESTING and switch one mutant on at a time; every other build compiles each
// `if (mutant(...))` away.
#pragma once

#include "kernel/lib/types.h"

#ifndef KEEL_MUTATION_TESTING
#define KEEL_MUTATION_TESTING 0
#endif

namespace keel {

enum class Mutant : unsigned {
  None = 0,
  SkipSmcBadgeCheck,        // SMC decode forgets the badge == MR0 rule
  MintKeepsRevocable,       // cte_insert marks every copy revocable
  RevokeSkipsDescendant,    // revoke leaves the last descendant in place
  WatermarkOffByOne,        // retype places objects one slot of alignment too early
  MapSkipsUserTopCheck,     // Page_Map lets a new mapping end above seL4_UserTop
  FrameDeleteKeepsMapping,  // deleting a mapped frame cap leaves its page-table entry
  UnmapSkipsTlbFlush,       // unmapping a page forgets to invalidate its TLB entry
  SkipMcpCheck,             // SetPriority and friends check the top priority, not the MCP
  SuspendLeavesQueued,      // a suspended thread stays in its ready queue
  AckNeverUnmasks,          // IRQHandler Ack leaves the IRQ masked
  TransferIgnoresGrant,     // IPC transfers caps through a cap without Grant
  SignalOverwritesWord,     // a signal to an active notification replaces its word
  CancelLeavesSender,       // CancelBadgedSends restarts a sender but leaves it queued
  SgiTargetOffByOne,        // an SGI-signal cap raises its SGI at the next CPU interface
  GuardNotCompared,         // CSpace lookup consumes a CNode's guard bits without comparing them
  RetypeBaseUnaligned,      // retype places the first object at the free index, unaligned
  MintIgnoresRights,        // CNode Mint and Copy keep the source's rights, ignoring the mask
  SmcBadgeLow32,            // SMC decode compares the badge with MR0 on the low 32 bits only
  RetypeSlotPastCNode,      // Retype's slot window may end one slot past the destination CNode
  FastpathIgnoresQueues,    // the IPC fastpath runs the woken thread even when another should run
  FastpathKeepsReplyCap,    // the ReplyRecv fastpath answers the caller but keeps the reply cap
  Count,
};

#if KEEL_MUTATION_TESTING
extern Mutant g_active_mutant;
inline bool mutant(Mutant m) { return g_active_mutant == m; }
#else
constexpr bool mutant(Mutant) { return false; }
#endif

}  // namespace keel
