// Defines in_table(ABI_ENUM): a switch over the enum with one `case` per table entry, as the
// includer's ABI_* macros spell them, and no default. If the enum has a value the table lacks,
// the switch misses it and the build fails under -Wswitch -Werror.
[[maybe_unused]] constexpr bool in_table(ABI_ENUM e) {
  switch (e) {
#include "abi/sel4_abi.def"
    return true;
  }
  return false;
}
#undef ABI_ENUM
