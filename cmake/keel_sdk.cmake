# keel's SDK: what `cmake --install build/qemu-virt --prefix DIR` (`./keel sdk DIR`) puts in DIR
# for a root task built outside this tree, and the test that one builds and boots (qemu-virt only).
#
#   include/sel4/, include/keel/     the user library's headers
#   lib/libkeel_user.a               the user library
#   lib/keel/objects-*/keel_user_start/   crt0 and start-up objects, linked into a root task by name
#   lib/libkeel_loader.a             keel's loader, linked whole into every image
#   lib/cmake/keel/                  the package: find_package(keel) -> keel_add_root_task(),
#                                    keel_add_image() (keel_functions.cmake, the tree's own)
#   share/keel/aarch64-clang.cmake   the toolchain file
#   share/keel/root_task.ld          the root-task linker script
#   share/keel/kernel.elf, share/keel/qemu-virt.dtb   what images pack
#   share/keel/tools/mkimage.py, run_qemu.py   packing and booting images
#   share/keel/loader/loader.ld      the loader's linker script, where mkimage.py looks for it
#                                    (../loader/loader.ld from itself, as in this tree)
set(KEEL_SDK_VERSION 0.1.0)

install(TARGETS keel_user keel_user_start EXPORT keel-targets
  ARCHIVE DESTINATION lib
  OBJECTS DESTINATION lib/keel)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/user/include/ DESTINATION include)
install(FILES $<TARGET_FILE:keel_loader> DESTINATION lib)
install(EXPORT keel-targets NAMESPACE keel:: DESTINATION lib/cmake/keel)

include(CMakePackageConfigHelpers)
configure_file(${CMAKE_CURRENT_LIST_DIR}/keelConfig.cmake.in
  ${CMAKE_BINARY_DIR}/sdk-package/keelConfig.cmake @ONLY)
write_basic_package_version_file(${CMAKE_BINARY_DIR}/sdk-package/keelConfigVersion.cmake
  VERSION ${KEEL_SDK_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/sdk-package/keelConfig.cmake
              ${CMAKE_BINARY_DIR}/sdk-package/keelConfigVersion.cmake
              ${CMAKE_CURRENT_LIST_DIR}/keel_functions.cmake
  DESTINATION lib/cmake/keel)

install(FILES ${CMAKE_CURRENT_LIST_DIR}/aarch64-clang.cmake ${PROJECT_SOURCE_DIR}/user/root_task.ld
              $<TARGET_FILE:keel_kernel_elf> ${KEEL_QEMU_DTB}
  DESTINATION share/keel)
install(PROGRAMS ${PROJECT_SOURCE_DIR}/tools/mkimage.py ${PROJECT_SOURCE_DIR}/tools/run_qemu.py
  DESTINATION share/keel/tools)
install(FILES ${PROJECT_SOURCE_DIR}/loader/loader.ld DESTINATION share/keel/loader)

# What the install copies, built: `./keel sdk` builds this target, not the whole tree.
add_custom_target(keel_sdk)
add_dependencies(keel_sdk keel_user keel_user_start keel_loader keel_kernel_elf keel_dtb)

# examples/hello built against an SDK installed from this build, booted on QEMU, with
# tools/run_qemu.py and (in the preset's build dir, the one ./keel uses) `./keel run`; and
# find_package(keel) refusing a host toolchain. The build is finished when ctest runs, so the
# test only installs from it (cmake --install builds nothing) and builds elsewhere.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
set(keel_run_arg)
if(CMAKE_BINARY_DIR STREQUAL "${PROJECT_SOURCE_DIR}/build/qemu-virt")
  set(keel_run_arg --keel-run)
endif()
add_test(NAME sdk.hello
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/tests/tools/sdk_hello_test.py
          --build ${CMAKE_BINARY_DIR} --work ${CMAKE_BINARY_DIR}/sdk-test ${keel_run_arg})
# Its `./keel run` runs ninja on this build, as tools.keel_image_run does: not both at once.
set_tests_properties(sdk.hello PROPERTIES TIMEOUT 240 LABELS qemu RESOURCE_LOCK keel_build_qemu_virt)
