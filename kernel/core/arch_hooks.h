// Arch functions the generic core calls that are plain data-structure code (page tables, the
// IPC buffer frame), so they build and are tested on the host too. Defined in arch/aarch64.
#pragma once

#include "kernel/api/errors.h"
#include "kernel/api/object_type.h"
#include "kernel/cap/cap.h"
#include "kernel/object/tcb.h"

namespace keel::arch {

// The kernel's view of the thread's IPC buffer, or null when it has none usable. A receiver
// needs a read-write, non-device frame (seL4 lookupIPCBuffer).
word_t* lookup_ipc_buffer(Tcb* thread, bool is_receiver);

// seL4 checkValidIPCBuffer: whether `cap` (already derived) may back an IPC buffer at `buffer`:
// IllegalOperation unless a non-device frame, AlignmentError unless the address is aligned.
SyscallError check_valid_ipc_buffer(vaddr_t buffer, Cap cap);
// seL4 isValidVTableRoot: whether a (derived) cap may be a thread's address-space root.
bool is_valid_vtable_root(Cap cap);

// seL4 Arch_createObject: the cap to a new arch object (frame, page table, VSpace) at `base`,
// whose memory is already zeroed unless it is a device frame.
Cap create_object(ObjectType type, paddr_t base, bool is_device);
word_t object_size_bits(ObjectType type);

// Boot-time construction of the root task's address space (seL4 create_it_address_space).
// `pt` is a zeroed page table installed at `level` (1..3) for the range containing vaddr.
void boot_map_page_table(paddr_t vspace_root, paddr_t pt, unsigned level, vaddr_t vaddr);
// Maps a 4 KiB frame; every table on the path must exist.
void boot_map_frame(paddr_t vspace_root, paddr_t frame, vaddr_t vaddr, VmRights rights, bool executable);
// Records pool as ASID pool number `index` and assigns `asid` in it to the VSpace `root`.
void boot_install_asid_pool(word_t index, paddr_t pool, word_t asid, paddr_t root);
// The physical address of the 4 KiB page mapped at vaddr, or 0 (used by tests and boot checks).
paddr_t lookup_frame(paddr_t vspace_root, vaddr_t vaddr);

}  // namespace keel::arch
