// The test runner: output format is the contract with the QEMU runner (tools/), keep it exact.
#include "framework.h"

#include <stdarg.h>

namespace systest {

bool Test::expect(bool ok, const char* fmt, ...) {
  if (!ok && !failed_) {
    failed_ = true;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why_, sizeof(why_), fmt, ap);
    va_end(ap);
  }
  return ok;
}

bool Test::expect_eq(const char* what, seL4_Word actual, seL4_Word expected) {
  return expect(actual == expected, "%s = %lu (0x%lx), expected %lu (0x%lx)", what, actual, actual, expected,
                expected);
}

unsigned run_suites(const Env& env, const Suite* suites, unsigned num_suites) {
  unsigned passed = 0;
  unsigned failed = 0;
  for (unsigned s = 0; s < num_suites; ++s) {
    for (unsigned i = 0; i < suites[s].count; ++i) {
      const TestCase& tc = suites[s].cases[i];
      Test t(env);
      tc.run(t);
      if (t.failed()) {
        printf("FAIL %s: %s\n", tc.name, t.why());
        ++failed;
      } else {
        printf("PASS %s\n", tc.name);
        ++passed;
      }
    }
  }
  printf("%u passed, %u failed\n", passed, failed);
  return failed;
}

}  // namespace systest
