# Fails if any spec source includes a header from kernel/, arch/, host/ or the kernel's
# platform code. Runs at configure time (included) and as a test (cmake -P).
if(NOT SPEC_DIR)
  set(SPEC_DIR ${CMAKE_CURRENT_LIST_DIR})
endif()
file(GLOB _spec_files ${SPEC_DIR}/*.h ${SPEC_DIR}/*.cc)
foreach(_f ${_spec_files})
  file(STRINGS ${_f} _bad REGEX "^[ \t]*#[ \t]*include[ \t]*[\"<](\\.\\./)*(kernel|arch|host|platform|user)/")
  if(_bad)
    message(FATAL_ERROR "spec must not include kernel code: ${_f}: ${_bad}")
  endif()
endforeach()
