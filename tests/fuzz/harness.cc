// What the fuzz harnesses share: reporting a finding.
#include "tests/fuzz/harness.h"

#include <cstdarg>
#include <cstdio>

namespace keel::fuzz {

void finding(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  std::fputs("keel fuzz finding: ", stderr);
  std::vfprintf(stderr, fmt, ap);
  std::fputc('\n', stderr);
  va_end(ap);
  std::fflush(stderr);
  __builtin_trap();
}

}  // namespace keel::fuzz
