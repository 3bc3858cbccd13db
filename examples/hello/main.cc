// hello: a root task built against keel's installed SDK: says what the kernel handed it, makes
// one kernel object and uses it, then returns (the runtime powers QEMU off).
#include <keel/runtime.h>
#include <sel4/sel4.h>

namespace {

// The smallest untyped of RAM (not a device's) that holds a notification, or 0 if none does.
seL4_CPtr small_untyped(const seL4_BootInfo* bi) {
  seL4_CPtr best = 0;
  seL4_Word best_bits = 64;
  for (seL4_CPtr slot = bi->untyped.start; slot < bi->untyped.end; ++slot) {
    const seL4_UntypedDesc& u = bi->untypedList[slot - bi->untyped.start];
    if (!u.isDevice && u.sizeBits >= seL4_NotificationBits && u.sizeBits < best_bits) {
      best = slot;
      best_bits = u.sizeBits;
    }
  }
  return best;
}

}  // namespace

int main(seL4_BootInfo* bi) {
  printf("hello: keel handed me %lu untyped caps; my first empty slot is %lu\n",
         bi->untyped.end - bi->untyped.start, bi->empty.start);

  // A notification in the first empty slot, a copy of it badged 0x42 in the next; a signal
  // through the copy shows up as that badge when the original is polled.
  const seL4_CPtr ntfn = bi->empty.start;
  const seL4_CPtr badged = ntfn + 1;
  seL4_Error e = seL4_Untyped_Retype(small_untyped(bi), seL4_NotificationObject, 0, seL4_CapInitThreadCNode,
                                     0, 0, ntfn, 1);
  if (e == seL4_NoError) {
    e = seL4_CNode_Mint(seL4_CapInitThreadCNode, badged, seL4_WordBits, seL4_CapInitThreadCNode, ntfn,
                        seL4_WordBits, seL4_AllRights, 0x42);
  }
  if (e != seL4_NoError) {
    printf("hello: making the notification failed: error %d\n", static_cast<int>(e));
    return 1;
  }
  seL4_Signal(badged);
  seL4_Word badge = 0;
  seL4_Poll(ntfn, &badge);
  printf("hello: notification in slot %lu, signalled through slot %lu, polled badge 0x%lx\n", ntfn, badged,
         badge);
  return 0;
}
