// The active planted bug, in host mutation-testing builds only.
#include "kernel/lib/mutation.h"

namespace keel {

#if KEEL_MUTATION_TESTING
constinit Mutant g_active_mutant = Mutant::None;
#endif

}  // namespace keel
