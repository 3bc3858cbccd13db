# Bootable images and QEMU system tests (target builds only).
#
#   keel_add_image(<image-name> ROOTTASK <exe-target> [KERNEL <kernel-target>] [FORMAT bin])
#       defined in cmake/keel_functions.cmake, shared with the installed SDK: packs the root task
#       with the kernel (KERNEL defaults to keel_kernel_elf; keel_kernel_bench_elf is the
#       benchmark kernel), the QEMU virt DTB and keel's loader through tools/mkimage.py, the same
#       tool and inputs `./keel image` uses (the build writes them to <build>/keel-image.args).
#       FORMAT bin: <image-name>.bin, the raw binary U-Boot's booti starts (docs/uboot.md).
#   keel_add_system_test(<test-name> IMAGE <image-name> [TIMEOUT <sec>] [UBOOT]
#                        [EXPECT_OUTPUT <regex>] [FORBID_OUTPUT <regex>])
#       A ctest that boots the image under QEMU (tools/run_qemu.py) and passes iff QEMU exits
#       with status 0 and the console ends with "N passed, 0 failed" (N > 0), or matches
#       EXPECT_OUTPUT where given, and never matches FORBID_OUTPUT. UBOOT (a FORMAT bin image):
#       U-Boot loads the image over TFTP and starts it; the runner also requires U-Boot's
#       banner, the whole image transferred and keel's loader entered right after the handoff.

find_package(Python3 REQUIRED COMPONENTS Interpreter)
find_program(KEEL_QEMU_SYSTEM qemu-system-aarch64 REQUIRED)

# tools/run_qemu.py holds the machine's options; the build asks it for the -machine string.
# Cached so that every directory sees it, not only the one that included this file first (apps/
# does not include it again once the functions exist).
execute_process(COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/tools/run_qemu.py --print-machine
  OUTPUT_VARIABLE machine OUTPUT_STRIP_TRAILING_WHITESPACE COMMAND_ERROR_IS_FATAL ANY)
set(KEEL_QEMU_MACHINE ${machine} CACHE INTERNAL "the -machine string tools/run_qemu.py boots with")

# The DTB the kernel sees: dumped by the runner with the options it boots with, as seL4's build
# dumps QEMU's.
function(keel_add_qemu_dtb)
  set(dtb ${CMAKE_CURRENT_BINARY_DIR}/qemu-virt.dtb)
  set(KEEL_QEMU_DTB ${dtb} CACHE INTERNAL "DTB packed into keel images")
  add_custom_command(OUTPUT ${dtb}
    COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/tools/run_qemu.py
            --qemu ${KEEL_QEMU_SYSTEM} --dump-dtb ${dtb}
    DEPENDS ${PROJECT_SOURCE_DIR}/tools/run_qemu.py
    COMMENT "Dumping the QEMU virt device tree"
    VERBATIM)
  add_custom_target(keel_dtb DEPENDS ${dtb})
  # What `./keel image` packs a root task with: mkimage.py reads these arguments from the file
  # (@keel-image.args), one a line.
  file(GENERATE OUTPUT ${CMAKE_BINARY_DIR}/keel-image.args CONTENT
    "--kernel\n$<TARGET_FILE:keel_kernel_elf>\n--dtb\n${dtb}\n--loader\n$<TARGET_FILE:keel_loader>\n--cc\n${CMAKE_ASM_COMPILER}\n")
endfunction()

# keel's loader as one library an image links whole (tools/mkimage.py --loader), at a fixed
# place: <build>/loader/libkeel_loader.a.
add_library(keel_loader STATIC $<TARGET_OBJECTS:keel_loader_objs>)
set_target_properties(keel_loader PROPERTIES LINKER_LANGUAGE C
  ARCHIVE_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/loader)

# What keel_add_image packs in this tree. Cached, so that loader/ and apps/ see them too.
set(KEEL_KERNEL keel_kernel_elf CACHE INTERNAL "the kernel keel_add_image packs by default")
set(KEEL_LOADER keel_loader CACHE INTERNAL "keel's loader library keel_add_image links")
set(KEEL_MKIMAGE ${PROJECT_SOURCE_DIR}/tools/mkimage.py CACHE INTERNAL "the image tool")
set(KEEL_IMAGE_DEPENDS keel_dtb CACHE INTERNAL "what every image depends on besides its inputs")
include(${CMAKE_CURRENT_LIST_DIR}/keel_functions.cmake)

function(keel_add_system_test name)
  cmake_parse_arguments(PARSE_ARGV 1 ST "UBOOT" "IMAGE;TIMEOUT;EXPECT_OUTPUT;FORBID_OUTPUT" "")
  if(NOT ST_IMAGE)
    message(FATAL_ERROR "keel_add_system_test(${name}): IMAGE <image-name> is required")
  endif()
  if(NOT ST_TIMEOUT)
    set(ST_TIMEOUT 60)
  endif()
  # Default: the root task reports "N passed, 0 failed". EXPECT_OUTPUT instead names a regular
  # expression the console must match (for root tasks that cannot report, e.g. ones that fault),
  # FORBID_OUTPUT one it must not.
  # Either way the runner's exit status is the verdict: a panic, a time-out or a bad QEMU exit
  # fails the test.
  set(verdict --expect-summary)
  if(ST_EXPECT_OUTPUT)
    set(verdict --expect ${ST_EXPECT_OUTPUT})
  endif()
  if(ST_FORBID_OUTPUT)
    list(APPEND verdict --forbid ${ST_FORBID_OUTPUT})
  endif()
  if(ST_UBOOT)
    list(APPEND verdict --uboot)
  endif()
  add_test(NAME ${name}
    COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/tools/run_qemu.py
            $<TARGET_PROPERTY:${ST_IMAGE},KEEL_IMAGE_FILE> --timeout ${ST_TIMEOUT} ${verdict})
  math(EXPR ctest_timeout "${ST_TIMEOUT} + 30")
  set_tests_properties(${name} PROPERTIES TIMEOUT ${ctest_timeout} LABELS qemu)
endfunction()

# `./keel image` and `./keel run` on the demo's root task: the same bytes as the build's
# demo-image.elf, booted on QEMU. ./keel works on build/qemu-virt, so only that build has it
# (apps/ defines both targets; generator expressions resolve once all directories are read).
if(CMAKE_BINARY_DIR STREQUAL "${PROJECT_SOURCE_DIR}/build/qemu-virt")
  add_test(NAME tools.keel_image_run
    COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/tests/tools/keel_image_qemu_test.py
            $<TARGET_FILE:demo_task> $<TARGET_PROPERTY:demo-image,KEEL_IMAGE_FILE>)
  # ./keel runs ninja on this build (a no-op once it is built): one such test at a time.
  set_tests_properties(tools.keel_image_run PROPERTIES TIMEOUT 180 LABELS qemu
    RESOURCE_LOCK keel_build_qemu_virt)
endif()
