// The one result type of the kernel: a value, or the seL4 error that prevented it. An
// invocation's result is a Result<PerformStatus>: failed in decode, or performed to the end or
// to a preemption point.
#pragma once

#include "kernel/api/errors.h"

namespace keel {

template <typename T>
struct [[nodiscard]] Result {
  SyscallError error;
  T value{};

  Result(T v) : value(v) {}             // NOLINT: implicit on purpose, `return op;` reads well
  Result(SyscallError e) : error(e) {}  // NOLINT
  bool ok() const { return error.type == Error::NoError; }
};

// How a perform step ended: it cannot fail, only finish or stop at a preemption point.
enum class PerformStatus { Done, Preempted };

using Outcome = Result<PerformStatus>;

inline bool preempted(const Outcome& o) { return o.ok() && o.value == PerformStatus::Preempted; }

}  // namespace keel
