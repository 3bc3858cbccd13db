// A thread's IPC buffer as memory: the words of the frame named by the cap in the thread's TCB
// buffer slot, from the buffer address's offset inside that frame on (seL4 lookupIPCBuffer).
// Two threads whose buffers lie in the same frame at the same offset share one buffer, as in
// the kernel.
#pragma once

#include <array>
#include <optional>

#include "state.h"

namespace keel::spec {

using IpcBufferWords = std::array<word_t, kIpcBufferWords>;

struct IpcBuffer {
  paddr_t frame = 0;  // the frame object
  word_t first = 0;   // the frame word that is word 0 of the buffer
};

// seL4 lookupIPCBuffer: a non-device frame cap in the buffer slot; the kernel writing into it
// (a receiver) needs ReadWrite, reading from it (a sender) ReadOnly at least.
std::optional<IpcBuffer> lookup_ipc_buffer(const State& s, paddr_t tcb, bool is_receiver);

// Word i (0..127) of a buffer; a word of a frame that no longer exists reads as 0.
word_t buffer_word(const State& s, const IpcBuffer& b, word_t i);
// Writing 0 erases the word from the frame's map (only non-zero words are kept).
void set_buffer_word(State& s, const IpcBuffer& b, word_t i, word_t v);
IpcBufferWords read_ipc_buffer(const State& s, const IpcBuffer& b);
void write_ipc_buffer(State& s, const IpcBuffer& b, const IpcBufferWords& words);

// Register x<n> of a thread's saved context.
inline word_t& reg_x(Thread& t, unsigned n) { return t.regs[reg_index_of_x(n)]; }
inline word_t reg_x(const Thread& t, unsigned n) { return t.regs[reg_index_of_x(n)]; }

// Frame memory invariants: only non-zero words, only offsets inside the frame, nothing in a
// device frame or in an object that is not a frame.
void check_frame_invariants(const State& s, std::vector<std::string>& bad);

}  // namespace keel::spec
