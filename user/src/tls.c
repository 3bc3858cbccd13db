/* Thread-local storage blocks (AArch64 TLS variant 1, local-exec): the memory TPIDR_EL0 points at.
 * A block is a 16-byte thread control block (unused, zero) followed by a copy of the PT_TLS
 * template: .tdata's initial values, then .tbss zeroed. The linker script defines the bounds. */
#include <keel/runtime.h>
#include <stdint.h>

extern char __keel_tdata_start[];
extern char __keel_tdata_end[];
extern char __keel_tls_end[];

/* The compiler addresses a variable at TPIDR_EL0 + 16 + its offset in the template (the template
 * starts 16-aligned, and the linker script refuses a larger alignment). */
enum { KEEL_TLS_TCB_BYTES = 16 };

static size_t template_bytes(void) {
  return (size_t)((uintptr_t)__keel_tls_end - (uintptr_t)__keel_tdata_start);
}

/* Must match __keel_tls_area_size in root_task.ld, which reserves the root thread's area. */
size_t keel_tls_area_size(void) { return KEEL_TLS_TCB_BYTES + ((template_bytes() + 15) & ~(size_t)15); }

/* Touches no thread-local variable itself: crt0 calls it before TPIDR_EL0 is set. */
uintptr_t keel_tls_init(void* area) {
  unsigned char* tp = (unsigned char*)area;
  const size_t initialised = (size_t)((uintptr_t)__keel_tdata_end - (uintptr_t)__keel_tdata_start);
  memset(tp, 0, KEEL_TLS_TCB_BYTES);
  memcpy(tp + KEEL_TLS_TCB_BYTES, __keel_tdata_start, initialised);
  memset(tp + KEEL_TLS_TCB_BYTES + initialised, 0, keel_tls_area_size() - KEEL_TLS_TCB_BYTES - initialised);
  return (uintptr_t)tp;
}
