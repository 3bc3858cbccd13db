// SMC badge-bypass suite (host): every way to reach a function ID a cap does not allow is denied
// with seL4's error, and the monitor model's call log shows that no SMC was made (issue 16).
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "host/test_driver.h"
#include "kernel/api/bootinfo.h"
#include "kernel/api/errors.h"
#include "kernel/api/labels.h"
#include "kernel/cap/cap.h"

namespace keel {
namespace {

using host::HostKernel;
using host::SyscallResult;

constexpr word_t kBadge = 0x84000000;      // PSCI_VERSION: the one function a restricted cap allows
constexpr word_t kSystemOff = 0x84000008;  // PSCI SYSTEM_OFF: what an attacker wants instead
constexpr word_t kSmc = word_t(Label::ARMSMCCall);
constexpr sword_t kCall = -1, kSend = -3, kNBSend = -4;
constexpr word_t kBit = 1;

// One syscall on an SMC cap, described completely: which syscall, the message info, x0 of the
// SMC (MR0, carried in register x2), what the IPC buffer's msg[0] word holds (the kernel must
// ignore it: MR0 travels in a register), and whether the master cap rides along as an extra cap.
struct Message {
  std::string name;
  sword_t syscall = kCall;
  word_t label = kSmc;
  word_t length = 8;
  word_t x0 = kBadge;
  word_t buffer_mr0 = 0;
  bool master_as_extra_cap = false;
};

Message call(std::string name, word_t x0) { return Message{.name = std::move(name), .x0 = x0}; }

// The root task, its CNode invocations, and the SMC syscalls of the suite.
class Bench {
 public:
  // Small RAM: the monitor model hashes all of it around every SMC (the frame condition).
  HostKernel k{host::HostConfig{.ram_size = 4u << 20}};

  word_t slot(unsigned i) { return k.bootinfo()->empty.start + i; }
  size_t smcs() { return k.machine().smc_calls.size(); }
  const Cap& cap(word_t s) { return k.root_cap(s); }
  bool is_smc(word_t s, word_t badge) {
    return cap(s).type() == CapType::Smc && SmcCap{cap(s)}.badge() == badge;
  }

  word_t mint(word_t dest, word_t src, word_t badge, word_t rights = 0xf) {
    return cnode(Label::CNodeMint, {dest, 64, src, 64, rights, badge});
  }
  word_t copy(word_t dest, word_t src) { return cnode(Label::CNodeCopy, {dest, 64, src, 64, 0xf}); }
  word_t move(word_t dest, word_t src) { return cnode(Label::CNodeMove, {dest, 64, src, 64}); }
  word_t mutate(word_t dest, word_t src, word_t data) {
    return cnode(Label::CNodeMutate, {dest, 64, src, 64, data});
  }
  // dest <- pivot's cap, pivot <- src's cap (seL4 CNode_Rotate, all in the root CNode).
  word_t rotate(word_t dest, word_t pivot, word_t src) {
    return k
        .call(kCapInitThreadCNode, word_t(Label::CNodeRotate), {dest, 64, 0, pivot, 64, 0, src, 64},
              {kCapInitThreadCNode, kCapInitThreadCNode})
        .label();
  }
  word_t revoke(word_t s) { return k.call(kCapInitThreadCNode, word_t(Label::CNodeRevoke), {s, 64}).label(); }
  word_t remove(word_t s) { return k.call(kCapInitThreadCNode, word_t(Label::CNodeDelete), {s, 64}).label(); }

  // Sends `m` on cap `cptr`: x1..x7 of the SMC are 0x11..0x77, x4..x7 through the IPC buffer.
  SyscallResult send(word_t cptr, const Message& m) {
    word_t* buf = k.ipc_buffer();
    buf[ipc_buffer::kMsg] = m.buffer_mr0;
    for (unsigned i = 4; i < 8; ++i) buf[ipc_buffer::kMsg + i] = 0x11 * i;
    buf[ipc_buffer::kCapsOrBadges] = kCapSMC;
    const word_t info = MessageInfo{m.label, 0, m.master_as_extra_cap ? 1u : 0u, m.length}.to_word();
    return k.syscall(m.syscall, {cptr, info, m.x0, 0x11, 0x22, 0x33});
  }

 private:
  word_t cnode(Label l, std::initializer_list<word_t> mrs) {
    return k.call(kCapInitThreadCNode, word_t(l), mrs, {kCapInitThreadCNode}).label();
  }
};

constexpr word_t e(Error x) { return word_t(x); }

// A refused message: on Call the reply is the error (InvalidCapability carries one word, the
// invalid cap's index, 0 here); on Send and NBSend there is no reply, so x0..x5 come back as
// sent. Either way the monitor saw nothing.
void expect_denied(Bench& b, word_t cptr, const Message& m, Error want) {
  SCOPED_TRACE(m.name);
  const size_t before = b.smcs();
  const word_t info = MessageInfo{m.label, 0, m.master_as_extra_cap ? 1u : 0u, m.length}.to_word();
  const SyscallResult r = b.send(cptr, m);
  EXPECT_EQ(b.smcs(), before) << "an SMC reached the monitor";
  if (m.syscall != kCall) {
    const word_t sent[6] = {cptr, info, m.x0, 0x11, 0x22, 0x33};
    for (unsigned i = 0; i < 6; ++i) EXPECT_EQ(r.x[i], sent[i]) << "x" << i << " after a send";
    return;
  }
  EXPECT_EQ(r.label(), e(want));
  EXPECT_EQ(r.x[0], 0u);  // the badge register of a kernel reply
  if (want == Error::InvalidCapability) {
    EXPECT_EQ(r.info().length, 1u);
    EXPECT_EQ(b.k.mr(0, r), 0u);
  } else {
    EXPECT_EQ(r.info().length, 0u);
  }
}

// An allowed Call: exactly one SMC, with x0..x7 as sent, and the monitor's answer as the reply.
void expect_one_smc(Bench& b, word_t cptr, word_t x0, word_t buffer_mr0 = 0) {
  const size_t before = b.smcs();
  const SyscallResult r = b.send(cptr, Message{.name = "allowed", .x0 = x0, .buffer_mr0 = buffer_mr0});
  ASSERT_EQ(b.smcs(), before + 1);
  const machine::SmcRegs& made = b.k.machine().smc_calls.back();
  EXPECT_EQ(made.x[0], x0);
  for (unsigned i = 1; i < 8; ++i) EXPECT_EQ(made.x[i], 0x11 * i) << "x" << i;
  EXPECT_EQ(r.label(), 0u);
  EXPECT_EQ(r.info().length, 8u);
}

// Function IDs within one bit or one word of kBadge, and other wrong ones.
std::vector<Message> near_misses() {
  std::vector<Message> m;
  for (unsigned bit = 0; bit < 64; ++bit)
    m.push_back(call("bit " + std::to_string(bit) + " flipped", kBadge ^ (kBit << bit)));
  m.push_back(call("SVE hint (bit 16) set", kBadge | (kBit << 16)));
  m.push_back(call("bit 31 cleared", kBadge & ~(kBit << 31)));
  m.push_back(call("sign-extended w0", 0xffffffff00000000 | kBadge));
  m.push_back(call("badge in both halves", (kBadge << 32) | kBadge));
  m.push_back(call("badge in the upper half only", kBadge << 32));
  m.push_back(call("all bits inverted", ~kBadge));
  m.push_back(call("x0 = 0", 0));
  std::erase_if(m, [](const Message& x) { return x.x0 == kSystemOff; });  // bit 3 flipped
  m.push_back(call("SYSTEM_OFF", kSystemOff));
  return m;
}

// Messages a cap restricted to kBadge must refuse, with seL4's error for each.
struct Refusal {
  Message m;
  Error want;
};

std::vector<Refusal> refusals_for_restricted_cap() {
  std::vector<Refusal> r;
  for (Message& m : near_misses()) r.push_back({m, Error::IllegalOperation});
  // The badge check reads MR0 from x2, which is also what the monitor gets: a matching word in
  // the IPC buffer's msg[0] must not count, nor the master cap passed along as an extra cap.
  r.push_back({Message{.name = "badge in the buffer's msg[0]", .x0 = kSystemOff, .buffer_mr0 = kBadge},
               Error::IllegalOperation});
  r.push_back({Message{.name = "master as an extra cap", .x0 = kSystemOff, .master_as_extra_cap = true},
               Error::IllegalOperation});
  for (sword_t sys : {kSend, kNBSend}) {
    const std::string how = sys == kSend ? "Send " : "NBSend ";
    r.push_back({Message{.name = how + "SYSTEM_OFF", .syscall = sys, .x0 = kSystemOff}, Error::NoError});
    r.push_back(
        {Message{.name = how + "upper bit", .syscall = sys, .x0 = kBadge | (kBit << 32)}, Error::NoError});
    r.push_back({Message{.name = how + "length 7", .syscall = sys, .length = 7}, Error::NoError});
    r.push_back({Message{.name = how + "label 0", .syscall = sys, .label = 0}, Error::NoError});
  }
  return r;
}

// Label and length are checked before the badge, so they are refused even with the right x0
// and even on the master cap.
std::vector<Refusal> malformed_messages() {
  std::vector<Refusal> r;
  for (word_t len = 0; len < 8; ++len) {
    r.push_back({Message{.name = "length " + std::to_string(len), .length = len}, Error::TruncatedMessage});
  }
  for (word_t label = 0; label < kSmc + 8; ++label) {
    if (label == kSmc) continue;
    r.push_back({Message{.name = "label " + std::to_string(label), .label = label}, Error::IllegalOperation});
    r.push_back({Message{.name = "label " + std::to_string(label) + " length 0", .label = label, .length = 0},
                 Error::IllegalOperation});
  }
  for (unsigned bit = 6; bit < 52; ++bit) {  // the label field has 52 bits
    r.push_back({Message{.name = "label bit " + std::to_string(bit), .label = kSmc | (kBit << bit)},
                 Error::IllegalOperation});
  }
  return r;
}

// Ways to end up holding a cap that should allow kBadge only. Each checks the CNode operations
// it makes (refused ones with seL4's error) and returns the slot to call.
struct Shape {
  const char* name;
  word_t (*make)(Bench& b);
};

// gtest prints a failing parameter with this rather than as raw bytes.
void PrintTo(const Shape& s, std::ostream* os) { *os << s.name; }

word_t minted(Bench& b) {
  EXPECT_EQ(b.mint(b.slot(0), kCapSMC, kBadge), 0u);
  return b.slot(0);
}

const Shape kRestricted[] = {
    {"Minted", minted},
    {"MintedWithNoRights",
     [](Bench& b) {  // an SMC cap has no rights: the mask changes nothing
       EXPECT_EQ(b.mint(b.slot(0), kCapSMC, kBadge, 0), 0u);
       return b.slot(0);
     }},
    {"MintedFromACopyOfTheMaster",
     [](Bench& b) {
       EXPECT_EQ(b.copy(b.slot(0), kCapSMC), 0u);
       EXPECT_EQ(b.mint(b.slot(1), b.slot(0), kBadge), 0u);
       return b.slot(1);
     }},
    {"CopyOfMinted",
     [](Bench& b) {
       EXPECT_EQ(b.copy(b.slot(1), minted(b)), 0u);
       return b.slot(1);
     }},
    {"CopyOfACopy",
     [](Bench& b) {
       EXPECT_EQ(b.copy(b.slot(1), minted(b)), 0u);
       EXPECT_EQ(b.copy(b.slot(2), b.slot(1)), 0u);
       return b.slot(2);
     }},
    {"Moved",
     [](Bench& b) {
       EXPECT_EQ(b.move(b.slot(1), minted(b)), 0u);
       return b.slot(1);
     }},
    {"AfterRefusedReMints",
     [](Bench& b) {
       // seL4 Arch_updateCapData: a badged SMC cap is never re-badged, not even to its own badge.
       const word_t s = minted(b);
       for (word_t badge : {word_t{0}, kBadge, kSystemOff, ~word_t{0}}) {
         EXPECT_EQ(b.mint(b.slot(1), s, badge), e(Error::IllegalOperation)) << badge;
       }
       return s;
     }},
    {"AfterRefusedMutates",
     [](Bench& b) {
       const word_t s = minted(b);
       for (word_t data : {word_t{0}, kBadge, kSystemOff}) {
         EXPECT_EQ(b.mutate(b.slot(1), s, data), e(Error::IllegalOperation)) << data;
       }
       return s;
     }},
    {"AfterRefusedRotates",
     [](Bench& b) {
       // seL4 Rotate passes both caps through updateCapData(preserve): an SMC cap as source or as
       // pivot makes the whole Rotate IllegalOperation.
       const word_t s = minted(b);
       EXPECT_EQ(b.copy(b.slot(1), kCapInitThreadTCB), 0u);
       EXPECT_EQ(b.rotate(b.slot(2), b.slot(1), s), e(Error::IllegalOperation));
       EXPECT_EQ(b.rotate(b.slot(2), s, b.slot(1)), e(Error::IllegalOperation));
       EXPECT_EQ(b.rotate(s, b.slot(1), s), e(Error::IllegalOperation));
       EXPECT_EQ(b.cap(b.slot(1)).type(), CapType::Thread);
       return s;
     }},
    {"SurvivorOfARevokedCopy",
     [](Bench& b) {
       EXPECT_EQ(b.copy(b.slot(1), minted(b)), 0u);
       EXPECT_EQ(b.revoke(b.slot(1)), 0u);  // a copy is not revocable: nothing goes
       return b.slot(0);
     }},
    {"ChildOfADeletedCopyOfTheMaster",
     [](Bench& b) {
       EXPECT_EQ(b.copy(b.slot(0), kCapSMC), 0u);
       EXPECT_EQ(b.mint(b.slot(1), b.slot(0), kBadge), 0u);
       EXPECT_EQ(b.remove(b.slot(0)), 0u);
       return b.slot(1);
     }},
};

// Ways to end up with a slot that held, or was meant to hold, an SMC cap and now holds nothing.
const Shape kGone[] = {
    {"RevokedCopy",
     [](Bench& b) {
       EXPECT_EQ(b.copy(b.slot(1), minted(b)), 0u);
       EXPECT_EQ(b.revoke(b.slot(0)), 0u);
       EXPECT_TRUE(b.is_smc(b.slot(0), kBadge));
       return b.slot(1);
     }},
    {"CopyOfACopyOfARevokedMint",
     [](Bench& b) {
       EXPECT_EQ(b.copy(b.slot(1), minted(b)), 0u);
       EXPECT_EQ(b.copy(b.slot(2), b.slot(1)), 0u);
       EXPECT_EQ(b.revoke(b.slot(0)), 0u);
       return b.slot(2);
     }},
    {"MintedThenMasterRevoked",
     [](Bench& b) {
       const word_t s = minted(b);
       EXPECT_EQ(b.revoke(kCapSMC), 0u);
       return s;
     }},
    {"UnbadgedCopyThenMasterRevoked",
     [](Bench& b) {
       EXPECT_EQ(b.copy(b.slot(0), kCapSMC), 0u);
       EXPECT_EQ(b.revoke(kCapSMC), 0u);
       return b.slot(0);
     }},
    {"MintedFromACopyThenMasterRevoked",
     [](Bench& b) {
       EXPECT_EQ(b.copy(b.slot(0), kCapSMC), 0u);
       EXPECT_EQ(b.mint(b.slot(1), b.slot(0), kBadge), 0u);
       EXPECT_EQ(b.revoke(kCapSMC), 0u);
       EXPECT_TRUE(b.cap(b.slot(0)).is_null());
       return b.slot(1);
     }},
    {"MovedThenMasterRevoked",
     [](Bench& b) {
       EXPECT_EQ(b.move(b.slot(1), minted(b)), 0u);
       EXPECT_EQ(b.revoke(kCapSMC), 0u);
       return b.slot(1);
     }},
    {"Deleted",
     [](Bench& b) {
       const word_t s = minted(b);
       EXPECT_EQ(b.remove(s), 0u);
       return s;
     }},
    {"MovedAway",
     [](Bench& b) {
       const word_t s = minted(b);
       EXPECT_EQ(b.move(b.slot(1), s), 0u);
       return s;
     }},
    {"RefusedReMintTarget",
     [](Bench& b) {
       EXPECT_EQ(b.mint(b.slot(1), minted(b), 0), e(Error::IllegalOperation));
       return b.slot(1);
     }},
    {"RefusedMutateOfTheMasterTarget",
     [](Bench& b) {
       EXPECT_EQ(b.mutate(b.slot(0), kCapSMC, kBadge), e(Error::IllegalOperation));
       EXPECT_TRUE(b.is_smc(kCapSMC, 0));
       return b.slot(0);
     }},
    {"RefusedRotateTarget",
     [](Bench& b) {
       const word_t s = minted(b);
       EXPECT_EQ(b.copy(b.slot(1), kCapInitThreadTCB), 0u);
       EXPECT_EQ(b.rotate(b.slot(2), s, b.slot(1)), e(Error::IllegalOperation));
       return b.slot(2);
     }},
};

std::string shape_name(const ::testing::TestParamInfo<Shape>& info) { return info.param.name; }

class RestrictedCap : public ::testing::TestWithParam<Shape> {
 protected:
  Bench b;
};

TEST_P(RestrictedCap, KeepsTheBadge) {
  const word_t s = GetParam().make(b);
  EXPECT_TRUE(b.is_smc(s, kBadge));
  EXPECT_EQ(b.smcs(), 0u);
}

TEST_P(RestrictedCap, RefusesEveryOtherFunctionId) {
  const word_t s = GetParam().make(b);
  for (const Refusal& r : refusals_for_restricted_cap()) expect_denied(b, s, r.m, r.want);
  for (const Refusal& r : malformed_messages()) expect_denied(b, s, r.m, r.want);
  EXPECT_EQ(b.smcs(), 0u);
}

// The control that makes the refusals mean something: the same cap does make its own call.
TEST_P(RestrictedCap, MakesExactlyItsOwnCall) {
  const word_t s = GetParam().make(b);
  expect_one_smc(b, s, kBadge);
  // MR0 travels in x2: whatever the IPC buffer's msg[0] holds, the monitor gets the badge.
  expect_one_smc(b, s, kBadge, kSystemOff);
  // seL4 makes the SMC on Send too and drops the results.
  const SyscallResult r = b.send(s, Message{.name = "Send", .syscall = kSend});
  EXPECT_EQ(b.smcs(), 3u);
  EXPECT_EQ(r.x[2], kBadge);
}

INSTANTIATE_TEST_SUITE_P(SmcBypass, RestrictedCap, ::testing::ValuesIn(kRestricted), shape_name);

class GoneCap : public ::testing::TestWithParam<Shape> {
 protected:
  Bench b;
};

// seL4: invoking an empty slot is InvalidCapability(0) on Call and silent on Send.
TEST_P(GoneCap, IsAnInvalidCapabilityForAnyMessage) {
  const word_t s = GetParam().make(b);
  EXPECT_TRUE(b.cap(s).is_null());
  std::vector<Message> tries = {call("its badge", kBadge), call("SYSTEM_OFF", kSystemOff), call("x0 = 0", 0)};
  tries.push_back(Message{.name = "length 0", .length = 0});
  tries.push_back(Message{.name = "label 0", .label = 0});
  tries.push_back(Message{.name = "master as an extra cap", .master_as_extra_cap = true});
  tries.push_back(Message{.name = "Send", .syscall = kSend});
  tries.push_back(Message{.name = "NBSend", .syscall = kNBSend});
  for (const Message& m : tries) expect_denied(b, s, m, Error::InvalidCapability);
  EXPECT_EQ(b.smcs(), 0u);
  expect_one_smc(b, kCapSMC, kSystemOff ^ kBadge);  // the master itself is still there
}

INSTANTIATE_TEST_SUITE_P(SmcBypass, GoneCap, ::testing::ValuesIn(kGone), shape_name);

// Badge 0 allows every function ID, but the label and length rules still hold.
TEST(SmcBypassMaster, RefusesMalformedMessages) {
  Bench b;
  for (const Refusal& r : malformed_messages()) expect_denied(b, kCapSMC, r.m, r.want);
  for (sword_t sys : {kSend, kNBSend}) {
    expect_denied(b, kCapSMC, Message{.name = "send length 7", .syscall = sys, .length = 7}, Error::NoError);
  }
  EXPECT_EQ(b.smcs(), 0u);
}

TEST(SmcBypassMaster, MakesAnyCallAndSoDoItsCopiesAndBadgeZeroMints) {
  Bench b;
  ASSERT_EQ(b.copy(b.slot(0), kCapSMC), 0u);
  ASSERT_EQ(b.mint(b.slot(1), kCapSMC, 0), 0u);  // badge 0: just a copy
  std::vector<Message> ids = near_misses();
  ids.pop_back();  // SYSTEM_OFF would end the run
  for (word_t s : {word_t{kCapSMC}, b.slot(0), b.slot(1)}) {
    for (const Message& m : ids) expect_one_smc(b, s, m.x0);
  }
}

// A cap badged with a near miss of SYSTEM_OFF must not reach SYSTEM_OFF: the other direction of
// the 64-bit compare, where a masking kernel would power the machine off.
TEST(SmcBypassNearBadge, NeverReachesTheFunctionItIsNear) {
  Bench b;
  std::vector<Message> badges = near_misses();
  badges.pop_back();  // SYSTEM_OFF itself
  unsigned i = 0;
  for (const Message& badge : badges) {
    SCOPED_TRACE(badge.name);
    const word_t near = badge.x0 ^ kBadge ^ kSystemOff;
    if (near == 0) continue;  // a zero badge allows everything, by design
    const word_t s = b.slot(i++);
    ASSERT_EQ(b.mint(s, kCapSMC, near), 0u);
    expect_denied(b, s, call("SYSTEM_OFF", kSystemOff), Error::IllegalOperation);
    expect_one_smc(b, s, near);
  }
  EXPECT_FALSE(b.k.machine().powered_off);
}

}  // namespace
}  // namespace keel
