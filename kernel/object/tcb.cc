// Thread finalisation. A thread can be on no queue and bound to nothing until scheduling and
// IPC arrive, so stopping it is all there is to do yet.
#include "kernel/object/tcb.h"

namespace keel {

void finalise_thread(paddr_t tcb_object) { tcb_from_object(tcb_object)->state = ThreadState::Inactive; }

}  // namespace keel
