// PL011 UART: the kernel console behind machine::debug_putchar (transmit only, polled).
#pragma once

#include "kernel/lib/types.h"

namespace keel::platform::pl011 {

// The UART's kernel virtual address. While it is 0 the console drops every character, so
// printing before the kernel's own tables map the UART is safe (and silent).
void set_base(word_t kvaddr);

}  // namespace keel::platform::pl011
