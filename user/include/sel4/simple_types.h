/* Fixed-width types of the seL4 user ABI on AArch64 (seL4_Word = 64 bits) and keel's ABI check macro. */
#pragma once

#include <stddef.h>

#ifdef __cplusplus
#define SEL4_KEEL_ABI_ASSERT(cond, what) static_assert(cond, what)
#define seL4_Null nullptr
#define SEL4_KEEL_ALIGNOF(t) alignof(t)
#else
#define SEL4_KEEL_ABI_ASSERT(cond, what) _Static_assert(cond, what)
#define seL4_Null ((void*)0)
#define SEL4_KEEL_ALIGNOF(t) _Alignof(t)
#endif

/* The conversions these inline stubs mean, written once for both languages: C++ callers compile
 * them under -Wold-style-cast, so there they are the named cast of the same meaning. */
#ifdef __cplusplus
#define SEL4_KEEL_CAST(t, v) (static_cast<t>(v))
#define SEL4_KEEL_REINTERPRET(t, v) (reinterpret_cast<t>(v))
#else
#define SEL4_KEEL_CAST(t, v) ((t)(v))
#define SEL4_KEEL_REINTERPRET(t, v) ((t)(v))
#endif

/* Every libsel4-compatible function in these headers is inlined into the caller. */
#define LIBSEL4_INLINE_FUNC static inline
#define LIBSEL4_INLINE static inline
/* Pure bit-field helpers are also usable in C++ constant expressions. */
#ifdef __cplusplus
#define SEL4_KEEL_BITFIELD_FUNC static inline constexpr
#else
#define SEL4_KEEL_BITFIELD_FUNC static inline
#endif

typedef signed char seL4_Int8;
typedef unsigned char seL4_Uint8;
typedef signed short seL4_Int16;
typedef unsigned short seL4_Uint16;
typedef signed int seL4_Int32;
typedef unsigned int seL4_Uint32;
typedef signed long seL4_Int64;
typedef unsigned long seL4_Uint64;

typedef seL4_Int8 seL4_Bool;
typedef seL4_Uint64 seL4_Word;
typedef seL4_Word seL4_CPtr;
typedef seL4_Word seL4_NodeId;
typedef seL4_Word seL4_PAddr;
typedef seL4_Word seL4_Domain;
typedef seL4_Uint64 seL4_Time;

SEL4_KEEL_ABI_ASSERT(sizeof(seL4_Uint8) == 1, "seL4_Uint8 is 1 byte");
SEL4_KEEL_ABI_ASSERT(sizeof(seL4_Uint16) == 2, "seL4_Uint16 is 2 bytes");
SEL4_KEEL_ABI_ASSERT(sizeof(seL4_Uint32) == 4, "seL4_Uint32 is 4 bytes");
SEL4_KEEL_ABI_ASSERT(sizeof(seL4_Uint64) == 8, "seL4_Uint64 is 8 bytes");
SEL4_KEEL_ABI_ASSERT(sizeof(seL4_Word) == 8 && sizeof(void*) == 8, "AArch64 is LP64");
