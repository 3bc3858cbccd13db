// IRQ handler clean-up. No IRQ handler cap can be made until IRQControl arrives, so there is
// no IRQ state to undo yet.
#include "kernel/object/irq.h"

namespace keel {

void deleting_irq_handler(word_t) {}
void post_cap_deletion(Cap) {}

}  // namespace keel
