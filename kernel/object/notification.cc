// Notification finalisation. Nothing can wait on or bind to a notification until signals
// arrive, so there is nothing to undo yet.
#include "kernel/object/notification.h"

namespace keel {

void finalise_notification(paddr_t) {}

}  // namespace keel
