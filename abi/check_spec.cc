// Build-time check: the spec's ABI numbers (spec/constants.h and the few the spec's types
// carry) equal the table abi/sel4_abi.def. Includes no kernel header: the spec stays
// independent of the kernel (abi/CMakeLists.txt holds this file and abi/*.h to the spec's
// layering rule).
#include "abi/abi.h"
#include "spec/cap.h"
#include "spec/constants.h"
#include "spec/step.h"

namespace {

// What the spec names as the kernel does.
#define KEEL_ABI_NS keel::spec
#define KEEL_ABI_WHO "spec"
#define KEEL_ABI_CAP_TAG(t) keel::spec::cap_type_tag(t)
#include "abi/check_keel.h"

// Numbers the spec alone spells its own way.
KEEL_AGREE(keel::spec::kMsgRegisters, constant::FastMessageRegisters);
KEEL_AGREE(keel::spec::kRetypeFanOutLimit, constant::UntypedRetypeMaxObjects);
KEEL_AGREE(keel::spec::kRetypeFanOutLimit, config::RETYPE_FAN_OUT_LIMIT);
KEEL_AGREE(keel::spec::kIpcBufferWords * 8, size::IPCBuffer);
KEEL_AGREE(keel::spec::kIpcBufferCapsWord * 8, field::IPCBuffer::caps_or_badges);

}  // namespace
