// What the IPC tests share (ipc_*.cc): a rig of threads and kernel objects made from a scratch
// untyped, raw syscalls that show every message register in and out, and a record of what each
// thread received. The root task never blocks in IPC itself: only the rig's threads do, and the
// root task lets them run by dropping its priority below theirs (run_above), so a thread that
// stays blocked because the kernel got something wrong leaves a failed expectation, not a hang.
#pragma once

#include "framework.h"

namespace systest::ipc {

constexpr seL4_CPtr kRoot = seL4_CapInitThreadCNode;
constexpr seL4_Uint8 kDepth = seL4_WordBits;
constexpr unsigned kMaxThreads = 4;
constexpr unsigned kRounds = 8;                       // messages a thread records
constexpr seL4_Word kLowPrio = 10;                    // the root task while the threads run
constexpr seL4_Word kPoison = 0x5eed0000;             // + register number: x1..x5 before a syscall
constexpr seL4_Word kStuck = 0x57ac;                  // x0 of a root task syscall the guard had to end
constexpr seL4_Word kBufPoison = 0xb0f0b0f000000000;  // + index: buffer words before a receive

// x0..x5 of one syscall: x0 cptr or badge, x1 message info, x2..x5 MR0..MR3.
struct Regs {
  seL4_Word x[6];
  seL4_Word label() const { return seL4_MessageInfo_get_label(seL4_MessageInfo_t{{x[1]}}); }
  seL4_Word length() const { return seL4_MessageInfo_get_length(seL4_MessageInfo_t{{x[1]}}); }
  seL4_Word extra_caps() const { return seL4_MessageInfo_get_extraCaps(seL4_MessageInfo_t{{x[1]}}); }
  seL4_Word unwrapped() const { return seL4_MessageInfo_get_capsUnwrapped(seL4_MessageInfo_t{{x[1]}}); }
};

// One syscall with x0..x5 given and all six read back (x7 = sys).
inline Regs raw_syscall(seL4_Word sys, const Regs& in) {
  register seL4_Word x0 __asm__("x0") = in.x[0];
  register seL4_Word x1 __asm__("x1") = in.x[1];
  register seL4_Word x2 __asm__("x2") = in.x[2];
  register seL4_Word x3 __asm__("x3") = in.x[3];
  register seL4_Word x4 __asm__("x4") = in.x[4];
  register seL4_Word x5 __asm__("x5") = in.x[5];
  register seL4_Word x7 __asm__("x7") = sys;
  __asm__ __volatile__("svc #0"
                       : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5)
                       : "r"(x7)
                       : "memory");
  return Regs{{x0, x1, x2, x3, x4, x5}};
}

inline seL4_Word info(seL4_Word label, seL4_Word extra_caps, seL4_Word length, seL4_Word unwrapped = 0) {
  return seL4_MessageInfo_new(label, unwrapped, extra_caps, length).words[0];
}

// Word k of message `round`: every word of every message differs.
inline seL4_Word word(seL4_Word round, seL4_Word k) { return 0xa100000000000000 | (round << 32) | k; }

// x0 = cptr, x1 = `x1` and x2..x5 poisoned: a receive must write only what it delivers.
Regs poisoned(seL4_Word cptr, seL4_Word x1 = kPoison + 1);
// A message of `length` words word(round, k): MR0..MR3 in x2..x5, the rest in the IPC buffer.
Regs message(seL4_Word cptr, seL4_Word label, seL4_Word length, seL4_Word round, seL4_Word extra_caps = 0);

Regs sys_send(const Regs& r);
Regs sys_nbsend(const Regs& r);
Regs sys_call(const Regs& r);
Regs sys_reply(const Regs& r);
Regs sys_reply_recv(const Regs& r);
// Recv / NBRecv on `src` with poisoned registers and buffer words.
Regs sys_recv(seL4_CPtr src);
Regs sys_nbrecv(seL4_CPtr src);

// What a thread received: registers and its IPC buffer just after the syscall returned.
struct Record {
  Regs r;
  seL4_Word msg[seL4_MsgMaxLength];
  seL4_Word caps_or_badges[seL4_MsgMaxExtraCaps];
};

// Everything the threads of one case share with the root task.
struct Shared {
  seL4_Word steps[kMaxThreads];  // how far each thread got
  seL4_Word order[32];           // who did what in which order (note)
  seL4_Word order_len;
  Record rec[kMaxThreads][kRounds];
  seL4_Word n_rec[kMaxThreads];
  seL4_CPtr cap[8];    // the case's caps, set before the threads start
  seL4_Word param[8];  // and its numbers
  seL4_CPtr tcb[kMaxThreads];
};
extern Shared g;

// Thread i keeps what it just received in rec[i][n_rec[i]++] (dropped past kRounds).
void record(seL4_Word i, const Regs& r);
void note(seL4_Word v);

// The receive slot (root CNode, 64 bits) for caps sent to the calling thread.
void set_receive_slot(seL4_CPtr slot);

// One case's threads and objects. Slots from bootinfo's first empty slot on; at the end the
// threads are suspended, every slot is emptied and the scratch untyped revoked. A guard thread
// at priority 1 frees the root task if a kernel ever leaves it blocked (see ipc_lab.cc).
class Rig {
 public:
  explicit Rig(Test& t);
  ~Rig();
  Rig(const Rig&) = delete;
  Rig& operator=(const Rig&) = delete;

  Test& t() const { return t_; }
  bool ready() const { return ready_; }
  seL4_CPtr take() { return next_++; }
  // A new object (endpoint, notification, ...) in the next slot.
  seL4_CPtr make(seL4_Word type, seL4_Word size_bits = 0);
  // A copy of `src` with `rights` and `badge` in the next slot.
  seL4_CPtr mint(seL4_CPtr src, seL4_CapRights_t rights, seL4_Word badge = 0);
  // Starts thread i at `prio` running fn(i), with fault endpoint CPtr `fault_ep` (0: none).
  seL4_CPtr start(seL4_Word i, void (*fn)(seL4_Word), seL4_Word prio, seL4_CPtr fault_ep = 0,
                  bool resume = true, const char* name = nullptr);
  seL4_CPtr tcb(seL4_Word i) const { return tcb_[i]; }
  // The root task drops to `prio` and is back at 255 once no thread above it is runnable.
  void run_above(seL4_Word prio = kLowPrio);

 private:
  bool start_at(seL4_CPtr tcb, seL4_Word i, void (*fn)(seL4_Word), seL4_Word prio, seL4_CPtr fault_ep,
                bool resume, const char* name);

  Test& t_;
  seL4_CPtr parent_ = 0, first_ = 0, next_ = 0, scratch_ = 0, guard_ = 0;
  bool guard_started_ = false;
  seL4_CPtr tcb_[kMaxThreads] = {};
  bool started_[kMaxThreads] = {};
  bool ready_ = false;
};

bool ok(Test& t, const char* what, seL4_Error got, seL4_Error want = seL4_NoError);

// What a received message must be: `length` words word(round, k) with `badge` and `label`.
// tail: also check that the receiver's registers x2..x5 past the message (kRegs) and its buffer
// words just past it (kAll) kept their poison.
enum class Tail { kNone, kRegs, kAll };
struct Want {
  seL4_Word badge, label, length, round;
  seL4_Word extra_caps = 0, unwrapped = 0;
  Tail tail = Tail::kAll;
};
void expect_message(Test& t, const char* what, const Record& r, const Want& w);
// The registers of a receive that delivered only a badge (a signal, a failed NBRecv): x0 is
// `badge`, x1..x5 are untouched.
void expect_badge_only(Test& t, const char* what, const Regs& r, seL4_Word badge, seL4_Word x1 = kPoison + 1);

}  // namespace systest::ipc
