# Fails if a source file under DIR (recursively) contains a line matching FORBIDDEN, a regular
# expression; files matching EXEMPT (optional) are skipped. Runs at configure time (included,
# calling keel_check_layering) and as a ctest (cmake -DDIR= -DFORBIDDEN= -DWHAT= [-DEXEMPT=] -P).
#   spec/:   includes no kernel code (it is the independent model the kernel is checked against)
#   kernel/: includes no arch/, platform/ or host/ code and touches no hardware itself; its
#            unit tests (*_test.cc, host-only) may use the host machine model
function(keel_check_layering dir forbidden what exempt)
  file(GLOB_RECURSE files ${dir}/*.h ${dir}/*.cc)
  if(exempt)
    list(FILTER files EXCLUDE REGEX "${exempt}")
  endif()
  foreach(f ${files})
    file(STRINGS ${f} bad REGEX "${forbidden}")
    if(bad)
      message(FATAL_ERROR "${what}: ${f}: ${bad}")
    endif()
  endforeach()
endfunction()

# The two rules, shared by the configure-time check and the ctest.
set(KEEL_SPEC_FORBIDDEN "^[ \t]*#[ \t]*include[ \t]*[\"<](\\.\\./)*(kernel|arch|host|platform|user)/")
set(KEEL_KERNEL_FORBIDDEN
  "^[ \t]*#[ \t]*include[ \t]*[\"<](\\.\\./)*(arch|platform|host)/|(^|[^a-z_])(asm|__asm__)[ \t]*(volatile[ \t]*)?\\(|\"[ \t]*(mrs|msr)[ \t]")

if(CMAKE_SCRIPT_MODE_FILE AND DIR)
  keel_check_layering(${DIR} "${${FORBIDDEN}}" "${WHAT}" "${EXEMPT}")
endif()
