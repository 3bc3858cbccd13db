// Event generators for the refinement check: seeded random syscalls biased towards meaningful
// cap pointers, labels and arguments, and the fixed alphabet of the exhaustive small-scope run.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <random>
#include <unordered_set>
#include <vector>

#include "lockstep.h"

namespace keel::diff {

// Where the generator's choices come from: a seeded PRNG (random runs, reproducible from the
// seed) or a fuzzer's input bytes, where each choice reads only the bytes it needs (one for a
// choice among at most 256), so that a small change to the input changes a few choices; past
// the end of the input every choice is 0.
class Entropy {
 public:
  explicit Entropy(std::uint64_t seed) : prng_(seed) {}
  Entropy(const std::uint8_t* data, size_t size) : data_(data), size_(size), from_bytes_(true) {}
  word_t below(word_t n);  // a value in [0, n); 0 when n is 0
  word_t word();           // any 64-bit value
  bool exhausted() const { return from_bytes_ && pos_ >= size_; }
  // From now on (PRNG only), the bytes that would make the same choices as a fuzz input are
  // appended to `out`: a seeded run's boot becomes a fuzzer corpus entry.
  void transcribe(std::vector<std::uint8_t>* out) { transcript_ = out; }

 private:
  static unsigned width(word_t n) { return n <= 0x100 ? 1 : n <= 0x10000 ? 2 : 8; }
  word_t bytes(unsigned n);
  word_t note(word_t v, unsigned n);

  std::mt19937_64 prng_;
  const std::uint8_t* data_ = nullptr;
  size_t size_ = 0, pos_ = 0;
  bool from_bytes_ = false;
  std::vector<std::uint8_t>* transcript_ = nullptr;
};

// What the generator knows of the kernel: the abstraction of its state now.
struct GenContext {
  const spec::State& state;
  paddr_t root_cnode = 0;
  unsigned root_radix = 12;
  paddr_t root_tcb = 0;
};

// What the random driver makes: a broad mix of every kind of event, or that mix with, as often
// again, conversations between threads: short Calls to endpoints a thread waits on, ReplyRecvs
// by threads that hold a reply cap (the cases the IPC fastpath takes, and their neighbours).
enum class GenMix { Broad, Conversations };

class Generator {
 public:
  explicit Generator(std::uint64_t seed, GenMix mix = GenMix::Broad) : entropy_(seed), mix_(mix) {}
  explicit Generator(const Entropy& entropy) : entropy_(entropy) {}
  Event next(const GenContext& ctx);
  bool exhausted() const { return entropy_.exhausted(); }
  void transcribe(std::vector<std::uint8_t>* out) { entropy_.transcribe(out); }

 private:
  struct Addr {
    word_t index = 0, depth = 64;
  };
  bool chance(unsigned percent) { return pick(100) < percent; }
  word_t pick(word_t n) { return entropy_.below(n); }
  word_t any_word() { return entropy_.word(); }
  template <class T>
  const T& choose(const std::vector<T>& v) {
    return v[pick(v.size())];
  }

  std::vector<word_t> root_slots_with(const GenContext& c, spec::CapType t) const;
  word_t first_free(const GenContext& c, paddr_t cnode, unsigned radix, word_t skip) const;
  word_t slot_in(const GenContext& c, paddr_t cnode, unsigned radix);
  Addr address(const GenContext& c, const spec::Cap& cnode);
  word_t badge();
  word_t flip_bit(word_t v);
  word_t size_edge(spec::ObjectType t);
  word_t rights() { return chance(60) ? 0xf : pick(16); }
  Event cnode_op(const GenContext& c);
  Event copy_with_rights(const GenContext& c);
  Event retype(const GenContext& c);
  Event smc(const GenContext& c);
  Event sgi_op(const GenContext& c);
  Event thread_op(const GenContext& c);
  Event thread_life(const GenContext& c, const std::vector<word_t>& tcbs);
  word_t priority();
  cptr_t fault_handler(const GenContext& c);
  Event ipc_op(const GenContext& c);
  std::optional<Event> conversation(const GenContext& c);
  std::optional<Event> new_object(const GenContext& c, spec::ObjectType t);
  Event exception(const GenContext& c);

 public:
  Event interrupt(const GenContext& c);

 private:
  Event frame_op(const GenContext& c);
  Event vspace_op(const GenContext& c);
  word_t ipc_buffer_vaddr(const GenContext& c);
  Event other(const GenContext& c);
  Event with_syscall(Event e);
  void truncate(Event& e);

  Entropy entropy_;
  GenMix mix_ = GenMix::Broad;
};

// A sequence of `steps` random events checked in lockstep from a fresh boot; a new boot starts
// whenever the root thread stops. Returns the first failure (its events in `failing`).
struct RandomRunResult {
  size_t steps = 0, not_specified = 0, boots = 0;
  // How the checked events ended, by spec::Outcome (Returned, Faulted, Stopped, Blocked, Halted,
  // NotSpecified): a run that never blocks a thread has not exercised IPC.
  std::array<size_t, 6> outcomes{};
  bool failed = false;
  std::vector<Event> failing;  // the events of the failing boot, up to the failure
  SequenceResult failure;
  // The failing boot as a syscall-fuzzer input that makes the same events (Entropy::transcribe;
  // the fuzzer makes the Broad mix, so only a Broad run has one).
  std::vector<std::uint8_t> fuzz_input;
};
RandomRunResult random_run(std::uint64_t seed, size_t steps, size_t max_per_boot = 60,
                           const LockstepConfig& cfg = {},
                           std::unordered_set<std::uint64_t>* distinct = nullptr, GenMix mix = GenMix::Broad);

// The exhaustive run's alphabet, built from the kernel's boot layout (first free slot, a RAM
// untyped, the SMC cap).
std::vector<Event> exhaustive_alphabet(const LockstepConfig& cfg = {});

struct ExhaustiveResult {
  size_t sequences = 0, steps = 0, not_specified = 0;
  bool failed = false;
  std::vector<Event> failing;  // the shortest failing sequence (sequences run shortest first)
  SequenceResult failure;
};
// Which part of the run to take: the sequences whose first event's index i in the alphabet has
// i % count == index. The default is the whole run; shards let ctest run it in parallel pieces,
// none long enough to time out on a busy machine.
struct Shard {
  size_t index = 0, count = 1;
};

// Every sequence of length 1..depth over the alphabet (in the shard), each from a fresh boot;
// stops at the first failure.
ExhaustiveResult exhaustive_run(const std::vector<Event>& alphabet, unsigned depth,
                                const LockstepConfig& cfg = {}, Shard shard = {});

// A short fingerprint of a spec state, for counting distinct states reached.
std::uint64_t state_hash(const spec::State& s);

}  // namespace keel::diff
