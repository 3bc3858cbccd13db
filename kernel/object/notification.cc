// Notification finalisation and signals from IRQs. Nothing can wait on or bind to a notification
// until signals arrive, so there is nothing to undo or wake yet.
#include "kernel/object/notification.h"

namespace keel {

void finalise_notification(paddr_t) {}

void notification_signal_from_irq(paddr_t, word_t) {}

}  // namespace keel
