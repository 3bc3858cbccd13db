# Shared helpers: warning and kernel flags, and gathering a folder's sources without its tests.

# The one warning set, for every C and C++ target (kernel, host, loader, user, apps, spec, tests),
# so no folder quietly compiles under less. Both compilers take it: GCC on the host, clang on
# the cross build. -Wold-style-cast and -Wextra-semi are C++-only (the user library and the
# header checks have C sources); assembly gets none of it.
function(keel_warnings target)
  target_compile_options(${target} PRIVATE
    $<$<COMPILE_LANGUAGE:C,CXX>:-Wall -Wextra -Werror -Wswitch-enum -Wno-missing-field-initializers
      -Wconversion -Wsign-conversion -Wshadow -Wundef -Wimplicit-fallthrough>
    $<$<COMPILE_LANGUAGE:CXX>:-Wold-style-cast -Wextra-semi>)
endfunction()

# Flags for code that runs inside the kernel (core, arch, platform), on either build.
function(keel_kernel_flags target)
  keel_warnings(${target})
  target_compile_options(${target} PRIVATE
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
