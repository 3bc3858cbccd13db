# Shared helpers: flags for kernel code, and gathering a folder's sources without its tests.

# Flags for code that runs inside the kernel (core, arch, platform), on either build.
function(keel_kernel_flags target)
  target_compile_options(${target} PRIVATE ${KEEL_WARNINGS}
    $<$<COMPILE_LANGUAGE:CXX>:-fno-exceptions -fno-rtti -fno-threadsafe-statics>)
  target_compile_definitions(${target} PUBLIC ${KEEL_CONFIG_DEFS})
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR} ${KEEL_ARCH_INCLUDE})
  if(KEEL_PLATFORM STREQUAL "host" AND KEEL_SANITIZE)
    target_compile_options(${target} PUBLIC -fsanitize=address,undefined -fno-sanitize-recover=all)
    target_link_options(${target} PUBLIC -fsanitize=address,undefined)
  endif()
endfunction()

# keel_sources(VAR dir...): the .cc/.S files directly in each dir, without *_test.cc.
function(keel_sources out)
  set(result)
  foreach(dir ${ARGN})
    file(GLOB found CONFIGURE_DEPENDS ${dir}/*.cc ${dir}/*.S)
    list(FILTER found EXCLUDE REGEX "_test\\.cc$")
    list(APPEND result ${found})
  endforeach()
  set(${out} ${result} PARENT_SCOPE)
endfunction()

# keel_tests(VAR dir...): the *_test.cc files directly in each dir.
function(keel_tests out)
  set(result)
  foreach(dir ${ARGN})
    file(GLOB found CONFIGURE_DEPENDS ${dir}/*_test.cc)
    list(APPEND result ${found})
  endforeach()
  set(${out} ${result} PARENT_SCOPE)
endfunction()
