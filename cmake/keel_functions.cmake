# keel_add_root_task() and keel_add_image(): one definition for keel's own tree and for the
# installed SDK (lib/cmake/keel/keelConfig.cmake includes this file from beside itself).
#
# The includer supplies the targets (the tree's own are aliases, the SDK's imported)
#   keel::user        the user library (libkeel_user.a)
#   keel::user_start  crt0 + start-up, an object library: linked into every root task by name
# and the variables (visible where the functions are called)
#   KEEL_KERNEL              the kernel ELF's target (the tree: keel_kernel_elf; SDK: keel::kernel)
#   KEEL_LOADER              keel's loader library's target (keel_loader; SDK: keel::loader)
#   KEEL_USER_BASE           link address of root tasks (0x400000)
#   KEEL_USER_LINKER_SCRIPT  root_task.ld
#   KEEL_MKIMAGE             tools/mkimage.py (finds loader.ld at ../loader/loader.ld)
#   KEEL_QEMU_DTB            the QEMU virt DTB packed into images
#   KEEL_IMAGE_DEPENDS       more dependencies of every image (the tree: the DTB's target)
#
#   keel_add_root_task(<name> SOURCES <files...> [LIBRARIES <targets...>])
#       <name>: a static, freestanding AArch64 EL0 ELF linked at KEEL_USER_BASE, with crt0
#       (_start -> main(seL4_BootInfo*) -> seL4_DebugHalt) and keel::user.
#   keel_add_image(<image-name> ROOTTASK <exe-target> [KERNEL <kernel-target>] [FORMAT bin])
#       <image-name>.elf in the current binary dir: keel's loader with a newc CPIO archive of
#       the kernel ELF, the QEMU virt DTB and the root task linked in, packed by mkimage.py (the
#       tool `./keel image` uses). Target <image-name>, built by default; its KEEL_IMAGE_FILE
#       property names the file. KERNEL defaults to KEEL_KERNEL. FORMAT bin: <image-name>.bin,
#       the raw binary U-Boot's booti starts (docs/uboot.md).
include_guard(GLOBAL)

function(keel_add_root_task name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "" "SOURCES;LIBRARIES")
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "keel_add_root_task(${name}): SOURCES <files...> is required")
  endif()
  add_executable(${name} ${ARG_SOURCES} $<TARGET_OBJECTS:keel::user_start>)
  target_link_libraries(${name} PRIVATE keel::user ${ARG_LIBRARIES})
  get_property(languages GLOBAL PROPERTY ENABLED_LANGUAGES)
  if(CXX IN_LIST languages)  # keel's C++ headers (keel/sel4.hpp, keel/thread.hpp) are C++20
    target_compile_features(${name} PRIVATE cxx_std_20)
  endif()
  # keel's own programs compile under keel's warning set (cmake/keel.cmake); an SDK user's under
  # their own.
  if(COMMAND keel_warnings)
    keel_warnings(${name})
  endif()
  target_link_options(${name} PRIVATE
    -Wl,-T,${KEEL_USER_LINKER_SCRIPT} -Wl,--defsym=KEEL_USER_BASE=${KEEL_USER_BASE}
    -Wl,-z,max-page-size=4096 -Wl,--gc-sections)
  target_compile_options(${name} PRIVATE -ffunction-sections -fdata-sections)
  set_target_properties(${name} PROPERTIES LINK_DEPENDS ${KEEL_USER_LINKER_SCRIPT})
endfunction()

function(keel_add_image name)
  cmake_parse_arguments(PARSE_ARGV 1 IMG "" "ROOTTASK;KERNEL;FORMAT" "")
  if(NOT IMG_ROOTTASK)
    message(FATAL_ERROR "keel_add_image(${name}): ROOTTASK <exe-target> is required")
  endif()
  if(NOT IMG_KERNEL)
    set(IMG_KERNEL ${KEEL_KERNEL})
  endif()
  if(NOT Python3_EXECUTABLE)  # found in another directory of the project, or not yet
    find_package(Python3 REQUIRED COMPONENTS Interpreter)
  endif()
  # mkimage.py assembles and links with clang; a project may not have enabled ASM.
  set(cc ${CMAKE_ASM_COMPILER})
  if(NOT cc)
    set(cc ${CMAKE_C_COMPILER})
  endif()
  get_filename_component(loader_ld ${KEEL_MKIMAGE}/../../loader/loader.ld ABSOLUTE)
  # Targets this project builds (the tree's kernel and loader, not the SDK's imported files) are
  # built before the image. (The tree's kernel may be defined after a call: not a target yet.)
  set(targets ${IMG_ROOTTASK})
  foreach(t ${IMG_KERNEL} ${KEEL_LOADER})
    set(imported FALSE)
    if(TARGET ${t})
      get_target_property(imported ${t} IMPORTED)
    endif()
    if(NOT imported)
      list(APPEND targets ${t})
    endif()
  endforeach()
  if(NOT IMG_FORMAT)
    set(IMG_FORMAT elf)
  endif()
  set(image ${CMAKE_CURRENT_BINARY_DIR}/${name}.${IMG_FORMAT})
  add_custom_command(OUTPUT ${image}
    COMMAND ${Python3_EXECUTABLE} ${KEEL_MKIMAGE}
            --kernel $<TARGET_FILE:${IMG_KERNEL}> --dtb ${KEEL_QEMU_DTB}
            --loader $<TARGET_FILE:${KEEL_LOADER}> --cc ${cc}
            --roottask $<TARGET_FILE:${IMG_ROOTTASK}> --format ${IMG_FORMAT} -o ${image}
    DEPENDS ${targets} $<TARGET_FILE:${IMG_ROOTTASK}> $<TARGET_FILE:${IMG_KERNEL}>
            $<TARGET_FILE:${KEEL_LOADER}> ${KEEL_QEMU_DTB} ${KEEL_IMAGE_DEPENDS} ${KEEL_MKIMAGE}
            ${loader_ld}
    COMMENT "Packing ${name}.${IMG_FORMAT}"
    VERBATIM)
  add_custom_target(${name} ALL DEPENDS ${image})
  set_target_properties(${name} PROPERTIES KEEL_IMAGE_FILE ${image})
endfunction()
