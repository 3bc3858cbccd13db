// Memory functions the core uses. The host build takes them from libc; the AArch64 build
// links freestanding versions (platform code).
#pragma once

#include <stddef.h>

extern "C" {
void* memset(void* dst, int c, size_t n);
void* memcpy(void* dst, const void* src, size_t n);
void* memmove(void* dst, const void* src, size_t n);
int memcmp(const void* a, const void* b, size_t n);
}
