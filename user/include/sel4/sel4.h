/* keel's libsel4-compatible user API: include this one header, as with libsel4. */
#pragma once

#include <sel4/arch_types.h>
#include <sel4/bootinfo_types.h>
#include <sel4/constants.h>
#include <sel4/errors.h>
#include <sel4/functions.h>
#include <sel4/invocation.h>
#include <sel4/invocations_arm.h>
#include <sel4/invocations_generic.h>
#include <sel4/invocations_tcb.h>
#include <sel4/invoke.h>
#include <sel4/objecttype.h>
#include <sel4/shared_types.h>
#include <sel4/simple_types.h>
#include <sel4/syscall.h>
#include <sel4/syscalls.h>
