// Host tests of the one kernel formatter: the formats the kernel's messages rely on, and that
// formatting into a buffer never reaches the console.
#include "kernel/lib/print.h"

#include <gtest/gtest.h>

#include "host/host_machine.h"

namespace keel {
namespace {

TEST(Print, KprintfWritesToTheConsole) {
  host::HostMachine m(0x40000000, 1 << 21);
  kprintf("keel: EL%lu, window 0x%lx, %s %d%%\n", word_t{1}, word_t{0xffffff8000000000}, "ok", -3);
  EXPECT_EQ(m.console, "keel: EL1, window 0xffffff8000000000, ok -3%\n");
}

TEST(Print, KsnprintfPadsAndTruncates) {
  host::HostMachine m(0x40000000, 1 << 21);
  char buf[40];
  EXPECT_EQ(ksnprintf(buf, sizeof buf, "(slot 0x%016lx)", word_t{0x4003a0}), 25u);
  EXPECT_STREQ(buf, "(slot 0x00000000004003a0)");
  EXPECT_EQ(ksnprintf(buf, 6, "%s", "truncated"), 9u);
  EXPECT_STREQ(buf, "trunc");
  EXPECT_EQ(m.console, "");
}

TEST(Print, KsnprintfWithoutABufferOnlyMeasures) {
  host::HostMachine m(0x40000000, 1 << 21);
  EXPECT_EQ(ksnprintf(nullptr, 0, "%u apples", 12u), 9u);
  EXPECT_EQ(m.console, "");
}

}  // namespace
}  // namespace keel
