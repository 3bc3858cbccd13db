// Events as bytes (event_codec.h).
#include "event_codec.h"

namespace keel::diff {

namespace {

enum Kind : std::uint8_t { kSyscall, kInterrupt, kException, kInstructionAbort, kDataAbort };

void put_word(std::vector<std::uint8_t>& out, word_t w) {
  for (unsigned i = 0; i < 8; ++i) out.push_back(std::uint8_t(w >> (8 * i)));
}

class Reader {
 public:
  Reader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  bool done() const { return pos_ >= size_; }
  std::uint8_t byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  word_t word() {
    word_t w = 0;
    for (unsigned i = 0; i < 8; ++i) w |= word_t{byte()} << (8 * i);
    return w;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_, pos_ = 0;
};

Kind kind_of(const Event& e) {
  if (e.is_interrupt()) return kInterrupt;
  if (!e.is_exception()) return kSyscall;
  if (!e.exception->vm_fault) return kException;
  return e.exception->instruction ? kInstructionAbort : kDataAbort;
}

}  // namespace

std::vector<std::uint8_t> encode_events(const std::vector<Event>& events) {
  std::vector<std::uint8_t> out{kEventsMagic};
  for (const Event& e : events) {
    const Kind k = kind_of(e);
    out.push_back(k);
    if (k == kInterrupt) {
      put_word(out, e.interrupt);
      continue;
    }
    for (word_t r : e.regs) put_word(out, r);
    if (k != kSyscall) {
      put_word(out, e.exception->esr);
      put_word(out, e.exception->far);
      continue;
    }
    std::vector<unsigned> used;
    for (unsigned i = 0; i < e.ipc.size(); ++i)
      if (e.ipc[i] != 0) used.push_back(i);
    out.push_back(std::uint8_t(used.size()));
    for (unsigned i : used) {
      out.push_back(std::uint8_t(i));
      put_word(out, e.ipc[i]);
    }
  }
  return out;
}

std::vector<Event> decode_events(const std::uint8_t* data, std::size_t size) {
  Reader in(data, size);
  std::vector<Event> events;
  while (!in.done()) {
    Event e;
    const std::uint8_t k = in.byte();
    if (k == kInterrupt) {
      e.interrupt = in.word();
      events.push_back(e);
      continue;
    }
    for (word_t& r : e.regs) r = in.word();
    if (k == kException || k == kInstructionAbort || k == kDataAbort) {
      const word_t esr = in.word(), far = in.word();
      e.exception = Event::Exception{k != kException, k == kInstructionAbort, esr, far};
    } else {
      for (unsigned n = in.byte(); n > 0; --n) {
        const std::uint8_t i = in.byte();
        const word_t w = in.word();
        if (i < e.ipc.size()) e.ipc[i] = w;
      }
    }
    events.push_back(e);
  }
  return events;
}

}  // namespace keel::diff
