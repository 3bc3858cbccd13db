// Endpoint finalisation and badged-send cancellation. No thread can be queued on an endpoint
// until endpoint IPC arrives, so both have nothing to cancel yet.
#include "kernel/object/endpoint.h"

namespace keel {

void finalise_endpoint(paddr_t) {}
void cancel_badged_sends(paddr_t, word_t) {}

}  // namespace keel
