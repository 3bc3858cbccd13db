#!/usr/bin/env bash
# Builds real seL4 artifacts from local checkouts and runs them on keel (never downloads anything).
#
# What it checks (docs/sel4-compat.md has the background and the last results):
#   baseline  seL4 kernel + seL4 elfloader + keelcheck (a root task built against the real
#             libsel4 + sel4runtime + musllibc): shows what the real kernel answers.
#   B         keel kernel + keel loader (tools/mkimage.py) + the same keelcheck ELF.
#   A         keel kernel + seL4's elfloader (its CPIO rebuilt with keel's kernel.elf) + keel's
#             systest, and + keelcheck.
#   C         seL4 kernel + keel loader + keelcheck (keel's loader starting seL4).
#   sel4test  (only with --sel4test and friends) the sel4test driver on seL4 and on keel.
# Nothing it builds goes into the repository: everything lives under --work.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: tools/sel4-compat.sh --sel4 DIR --sel4-tools DIR --sel4runtime DIR --musllibc DIR
                            --util-libs DIR --pyfdt DIR [options]
  --sel4 DIR              seL4/seL4 checkout (tested: 1326364bc = 16.0.0 + 16)
  --sel4-tools DIR        seL4/seL4_tools checkout (tested: 21d3f19e3)
  --sel4runtime DIR       seL4/sel4runtime checkout (tested: 86489cf6e)
  --musllibc DIR          seL4/musllibc checkout on branch "sel4" (tested: c9249738); the
                          default branch "sel4-pre-2025" does not link with Debian's binutils 2.40
  --util-libs DIR         seL4/util_libs checkout (libcpio for the elfloader; tested: c8f9ea7c0)
  --pyfdt DIR             pyfdt checkout (seL4's hardware_gen.py imports it; not in Debian)
  --work DIR              scratch directory (default /tmp/keel-sel4-compat)
  --ipc                   add keelcheck's Signal/Poll case (keel has no Recv yet: it stops there)
  --dump-untypeds         keelcheck prints every untyped, to compare kernels' boot regions
  --sel4test DIR --sel4-libs DIR --sel4-projects-libs DIR --nanopb DIR
                          also build sel4test (nanopb must be 0.4.8 or older) and run it
  -h, --help              this text
Needs (Debian): gcc-aarch64-linux-gnu g++-aarch64-linux-gnu cpio python3-{ply,jinja2,yaml,lxml,
  pyelftools,six,future}; sel4test also protobuf-compiler python3-protobuf; keel's build tools.
EOF
}

repo=$(cd "$(dirname "$0")/.." && pwd)
work=/tmp/keel-sel4-compat
ipc=OFF
dump=OFF
declare -A src=()
while [ $# -gt 0 ]; do
  case "$1" in
    --sel4|--sel4-tools|--sel4runtime|--musllibc|--util-libs|--pyfdt|--sel4test|--sel4-libs|\
    --sel4-projects-libs|--nanopb)
      [ $# -ge 2 ] || { echo "sel4-compat: $1 needs a directory" >&2; exit 2; }
      src[${1#--}]=$(cd "$2" && pwd); shift 2 ;;
    --work) work=$2; shift 2 ;;
    --ipc) ipc=ON; shift ;;
    --dump-untypeds) dump=ON; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "sel4-compat: unknown argument $1" >&2; usage >&2; exit 2 ;;
  esac
done
for k in sel4 sel4-tools sel4runtime musllibc util-libs pyfdt; do
  [ -n "${src[$k]:-}" ] || { echo "sel4-compat: --$k is required" >&2; usage >&2; exit 2; }
done
with_sel4test=0
if [ -n "${src[sel4test]:-}" ]; then
  for k in sel4-libs sel4-projects-libs nanopb; do
    [ -n "${src[$k]:-}" ] || { echo "sel4-compat: --sel4test needs --$k" >&2; exit 2; }
  done
  with_sel4test=1
fi

# seL4's generators need Debian's python3 modules; a pyenv python earlier in PATH lacks them.
export PATH=/usr/bin:$PATH
export PYTHONPATH=${src[pyfdt]}${PYTHONPATH:+:$PYTHONPATH}
for t in aarch64-linux-gnu-gcc aarch64-linux-gnu-g++ cpio ninja cmake clang qemu-system-aarch64; do
  command -v "$t" >/dev/null || { echo "sel4-compat: $t not found" >&2; exit 1; }
done
python3 -c 'import ply, jinja2, yaml, lxml, elftools, six, pyfdt.pyfdt' ||
  { echo "sel4-compat: python3 modules missing (see --help)" >&2; exit 1; }

mkdir -p "$work"
work=$(cd "$work" && pwd)
log() { echo "sel4-compat: $*"; }
results=()

# A copy without .git: seL4's CMake copies musllibc wholesale and expects no .git directory,
# and a second path to seL4_tools would defeat its include_guard()s.
copy_tree() {
  rm -rf "$2"
  mkdir -p "$2"
  tar -C "$1" --exclude=.git -cf - . | tar -C "$2" -xf -
}

build_keel() {  # $1 build dir, $2 root CNode size bits
  cmake -S "$repo" -B "$1" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$repo/cmake/aarch64-clang.cmake" \
    -DKEEL_PLATFORM=qemu-virt -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DKEEL_ROOT_CNODE_SIZE_BITS="$2" >"$1.configure.log"
  cmake --build "$1" -j2 >"$1.build.log"
}

write_keelcheck_project() {
  local p=$work/proj
  mkdir -p "$p/tools" "$p/projects/keelcheck"
  ln -sfn "${src[sel4]}" "$p/kernel"
  copy_tree "${src[sel4-tools]}" "$p/tools/seL4"
  copy_tree "${src[musllibc]}" "$p/projects/musllibc"
  ln -sfn "${src[sel4runtime]}" "$p/projects/sel4runtime"
  ln -sfn "${src[util-libs]}" "$p/projects/util_libs"
  ln -sfn tools/seL4/cmake-tool/default-CMakeLists.txt "$p/CMakeLists.txt"
  cat >"$p/settings.cmake" <<'EOF'
# keel sel4-compat: qemu-arm-virt, AArch64, non-MCS, one core, debug + printing, SMC allowed.
cmake_minimum_required(VERSION 3.16.0)
set(project_dir "${CMAKE_CURRENT_LIST_DIR}")
list(APPEND CMAKE_MODULE_PATH ${project_dir}/kernel ${project_dir}/tools/seL4/cmake-tool/helpers/
     ${project_dir}/tools/seL4/elfloader-tool/ ${project_dir}/projects/sel4runtime
     ${project_dir}/projects/musllibc)
set(KernelPlatform qemu-arm-virt CACHE STRING "" FORCE)
set(KernelSel4Arch aarch64 CACHE STRING "" FORCE)
set(ARM_CPU cortex-a53 CACHE STRING "" FORCE)
set(KernelArmHypervisorSupport OFF CACHE BOOL "" FORCE)
set(KernelIsMCS OFF CACHE BOOL "" FORCE)
set(KernelMaxNumNodes 1 CACHE STRING "" FORCE)
set(KernelDebugBuild ON CACHE BOOL "" FORCE)
set(KernelPrinting ON CACHE BOOL "" FORCE)
set(KernelVerificationBuild OFF CACHE BOOL "" FORCE)
set(KernelAllowSMCCalls ON CACHE BOOL "" FORCE)
set(KernelRootCNodeSizeBits 12 CACHE STRING "" FORCE)
set(KernelArmTLSReg tpidru CACHE STRING "" FORCE)
set(ElfloaderImage elf CACHE STRING "" FORCE)
EOF
  cat >"$p/projects/keelcheck/CMakeLists.txt" <<'EOF'
# keelcheck: a root task built against the real libsel4 + sel4runtime + musllibc.
cmake_minimum_required(VERSION 3.16.0)
project(keelcheck C)
add_executable(keelcheck main.c)
target_compile_options(keelcheck PRIVATE -Wall -Wextra -Werror -O1)
target_link_libraries(keelcheck sel4runtime sel4 muslc)
include(rootserver)
DeclareRootserver(keelcheck)
option(KEELCHECK_IPC "keelcheck: include the notification Signal/Poll case" OFF)
option(KEELCHECK_DUMP_UNTYPEDS "keelcheck: print every untyped (paddr, size, device)" OFF)
target_compile_definitions(keelcheck PRIVATE KEELCHECK_IPC=$<BOOL:${KEELCHECK_IPC}>
                           KEELCHECK_DUMP_UNTYPEDS=$<BOOL:${KEELCHECK_DUMP_UNTYPEDS}>)
EOF
  write_keelcheck_source "$p/projects/keelcheck/main.c"
}

write_keelcheck_source() {
  cat >"$1" <<'EOF'
/* keelcheck: exercises bootinfo, CNode/Untyped invocations and SMC through the real libsel4. */
#include <sel4/sel4.h>
#include <sel4runtime.h>

static int passed, failed;

static void put_str(const char *s)
{
    for (; *s; s++) seL4_DebugPutChar(*s);
}

static void put_hex(seL4_Word v)
{
    put_str("0x");
    for (int shift = 60; shift >= 0; shift -= 4) {
        seL4_DebugPutChar("0123456789abcdef"[(v >> shift) & 0xf]);
    }
}

static void put_dec(seL4_Word v)
{
    char buf[24];
    int n = 0;
    do {
        buf[n++] = (char)('0' + v % 10);
    } while (v /= 10);
    while (n) seL4_DebugPutChar(buf[--n]);
}

/* One result line per case; on failure both values are printed for diagnosis. */
static void check(const char *name, seL4_Word got, seL4_Word want)
{
    if (got == want) {
        passed++;
        put_str("PASS ");
        put_str(name);
        put_str("\n");
    } else {
        failed++;
        put_str("FAIL ");
        put_str(name);
        put_str(": got ");
        put_hex(got);
        put_str(" want ");
        put_hex(want);
        put_str("\n");
    }
}

/* Kernel cap-type tags as returned by seL4_DebugCapIdentify (AArch64, non-hyp, SMC on). */
enum {
    TagNull = 0, TagFrame = 1, TagUntyped = 2, TagEndpoint = 4, TagNotification = 6,
    TagCNode = 10, TagThread = 12, TagIrqControl = 14, TagVSpace = 9, TagAsidControl = 11,
    TagAsidPool = 13, TagDomain = 20, TagSmc = 25,
};

static const seL4_Word initial_tags[16] = {
    TagNull, TagThread, TagCNode, TagVSpace, TagIrqControl, TagAsidControl, TagAsidPool,
    TagNull /* IOPortControl */, TagNull /* IOSpace */, TagFrame /* bootinfo frame */,
    TagFrame /* IPC buffer */, TagDomain, TagNull /* SMMU SID */, TagNull /* SMMU CB */,
    TagNull /* SC (non-MCS) */, TagSmc,
};

/* The extra bootinfo follows the bootinfo frame: headers {id, len}, the DTB under id FDT. */
static void check_extra_bootinfo(seL4_BootInfo *bi)
{
    seL4_Word at = (seL4_Word)bi + (1ul << seL4_BootInfoFrameBits);
    seL4_Word end = at + bi->extraLen;
    seL4_Word fdt_magic = 0;
    while (at + sizeof(seL4_BootInfoHeader) <= end) {
        seL4_BootInfoHeader *h = (seL4_BootInfoHeader *)at;
        if (h->len < sizeof(*h)) {
            break;
        }
        if (h->id == SEL4_BOOTINFO_HEADER_FDT) {
            const unsigned char *b = (const unsigned char *)(h + 1);
            fdt_magic = (seL4_Word)b[0] << 24 | (seL4_Word)b[1] << 16 | (seL4_Word)b[2] << 8 | b[3];
        }
        at += h->len;
    }
    check("extra bootinfo carries the FDT", fdt_magic, 0xd00dfeed);
}

static void put_range(const char *name, seL4_SlotRegion r)
{
    put_str(name);
    put_hex(r.start);
    put_str(", ");
    put_hex(r.end);
    put_str(")");
}

static void print_bootinfo(seL4_BootInfo *bi)
{
    put_str("bootinfo at ");
    put_hex((seL4_Word)bi);
    put_str(" ipcBuffer ");
    put_hex((seL4_Word)bi->ipcBuffer);
    put_str(" extraLen ");
    put_dec(bi->extraLen);
    put_range("\nempty [", bi->empty);
    put_range(" untyped [", bi->untyped);
    put_range(" userImageFrames [", bi->userImageFrames);
    put_str("\n");
}

static void check_untyped_list(seL4_BootInfo *bi)
{
    seL4_Word n = bi->untyped.end - bi->untyped.start;
    seL4_Word device = 0, total = 0;
    for (seL4_Word i = 0; i < n; i++) {
        seL4_UntypedDesc *d = &bi->untypedList[i];
        if (d->isDevice) {
            device++;
        } else {
            total += (seL4_Word)1 << d->sizeBits;
        }
    }
#if KEELCHECK_DUMP_UNTYPEDS
    for (seL4_Word i = 0; i < n; i++) {
        put_str("  untyped ");
        put_hex(bi->untypedList[i].paddr);
        put_str(" bits ");
        put_dec(bi->untypedList[i].sizeBits);
        put_str(bi->untypedList[i].isDevice ? " device\n" : " ram\n");
    }
#endif
    put_str("untypeds ");
    put_dec(n);
    put_str(" (device ");
    put_dec(device);
    put_str("), RAM bytes ");
    put_dec(total);
    put_str("\n");
    check("bootinfo has RAM untypeds", total > 0, 1);
    for (seL4_Word s = bi->untyped.start; s < bi->untyped.end; s++) {
        if (seL4_DebugCapIdentify(s) != TagUntyped) {
            check("untyped slot holds an untyped cap", s, 0);
            return;
        }
    }
    check("every untyped slot holds an untyped cap", 1, 1);
}

static void check_bootinfo(seL4_BootInfo *bi)
{
    print_bootinfo(bi);
    check("bootinfo nodeID", bi->nodeID, 0);
    check("bootinfo numNodes", bi->numNodes, 1);
    check("bootinfo initThreadCNodeSizeBits", bi->initThreadCNodeSizeBits, 12);
    check("bootinfo initThreadDomain", bi->initThreadDomain, 0);
    check("bootinfo empty.end", bi->empty.end, (seL4_Word)1 << 12);
    check("bootinfo untyped nonempty", bi->untyped.end > bi->untyped.start, 1);
    check("bootinfo IPC buffer is libsel4's", (seL4_Word)seL4_GetIPCBuffer(),
          (seL4_Word)bi->ipcBuffer);
    check_untyped_list(bi);
    for (seL4_Word slot = 0; slot < 16; slot++) {
        char name[] = "DebugCapIdentify initial slot xx";
        name[30] = (char)('0' + slot / 10);
        name[31] = (char)('0' + slot % 10);
        check(name, seL4_DebugCapIdentify(slot), initial_tags[slot]);
    }
    check("first user image frame identifies as frame",
          seL4_DebugCapIdentify(bi->userImageFrames.start), TagFrame);
    check("last user image frame identifies as frame",
          seL4_DebugCapIdentify(bi->userImageFrames.end - 1), TagFrame);
    check_extra_bootinfo(bi);
    check("first empty slot is empty", seL4_DebugCapIdentify(bi->empty.start), TagNull);
}

/* Finds a RAM untyped of at least 2^bits bytes; returns its slot or 0. */
static seL4_CPtr find_untyped(seL4_BootInfo *bi, seL4_Word bits)
{
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        if (!bi->untypedList[i].isDevice && bi->untypedList[i].sizeBits >= bits) {
            return bi->untyped.start + i;
        }
    }
    return 0;
}

#define ROOT seL4_CapInitThreadCNode
#define DEPTH seL4_WordBits
#define PSCI_VERSION 0x84000000ul
#define PSCI_FEATURES 0x8400000aul

static seL4_Word smc_x0(seL4_CPtr cap, seL4_Word fid, seL4_Error *err)
{
    seL4_ARM_SMCContext args = {0}, result = {0};
    args.x0 = fid;
    *err = seL4_ARM_SMC_Call(cap, &args, &result);
    return result.x0;
}

static void check_cnode(seL4_BootInfo *bi)
{
    seL4_CPtr copy = bi->empty.start;
    check("CNode_Copy TCB", seL4_CNode_Copy(ROOT, copy, DEPTH, ROOT, seL4_CapInitThreadTCB,
                                            DEPTH, seL4_AllRights), seL4_NoError);
    check("copied TCB identifies as thread", seL4_DebugCapIdentify(copy), TagThread);
    check("CNode_Copy into occupied slot", seL4_CNode_Copy(ROOT, copy, DEPTH, ROOT,
                                            seL4_CapInitThreadTCB, DEPTH, seL4_AllRights),
          seL4_DeleteFirst);
    check("CNode_Delete copy", seL4_CNode_Delete(ROOT, copy, DEPTH), seL4_NoError);
    check("deleted slot is empty", seL4_DebugCapIdentify(copy), TagNull);
}

static void check_smc(seL4_BootInfo *bi)
{
    seL4_CPtr badged = bi->empty.start + 1, other = bi->empty.start + 2;
    check("CNode_Mint SMC badge PSCI_VERSION",
          seL4_CNode_Mint(ROOT, badged, DEPTH, ROOT, seL4_CapSMC, DEPTH, seL4_AllRights,
                          PSCI_VERSION), seL4_NoError);
    check("minted cap identifies as smc", seL4_DebugCapIdentify(badged), TagSmc);
    seL4_Error err;
    seL4_Word x0 = smc_x0(badged, PSCI_VERSION, &err);
    check("SMC PSCI_VERSION via badged cap: error", err, seL4_NoError);
    check("SMC PSCI_VERSION via badged cap: x0", x0, 0x10001);
    smc_x0(badged, PSCI_FEATURES, &err);
    check("SMC other function via badged cap", err, seL4_IllegalOperation);
    x0 = smc_x0(seL4_CapSMC, PSCI_VERSION, &err);
    check("SMC PSCI_VERSION via master cap", err == seL4_NoError && x0 == 0x10001, 1);
    check("CNode_Mint from badged SMC cap",
          seL4_CNode_Mint(ROOT, other, DEPTH, ROOT, badged, DEPTH, seL4_AllRights, PSCI_FEATURES),
          seL4_IllegalOperation);
    check("CNode_Copy badged SMC cap",
          seL4_CNode_Copy(ROOT, other, DEPTH, ROOT, badged, DEPTH, seL4_AllRights), seL4_NoError);
    x0 = smc_x0(other, PSCI_VERSION, &err);
    check("SMC via copy of badged cap", err == seL4_NoError && x0 == 0x10001, 1);
    check("CNode_Revoke master SMC cap", seL4_CNode_Revoke(ROOT, seL4_CapSMC, DEPTH),
          seL4_NoError);
    check("revoke emptied the badged cap", seL4_DebugCapIdentify(badged), TagNull);
    check("revoke emptied its copy", seL4_DebugCapIdentify(other), TagNull);
    check("master SMC cap survives revoke", seL4_DebugCapIdentify(seL4_CapSMC), TagSmc);
}

static void check_untyped(seL4_BootInfo *bi)
{
    seL4_CPtr ut = find_untyped(bi, 12);
    seL4_CPtr ep = bi->empty.start + 8, ntfn = ep + 1, badged = ep + 2;
    check("found a 4 KiB RAM untyped", ut != 0, 1);
    check("Untyped_Retype endpoint",
          seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, 0, 0, ep, 1), seL4_NoError);
    check("retyped endpoint identifies", seL4_DebugCapIdentify(ep), TagEndpoint);
    check("Untyped_Retype notification",
          seL4_Untyped_Retype(ut, seL4_NotificationObject, 0, ROOT, 0, 0, ntfn, 1), seL4_NoError);
    check("retyped notification identifies", seL4_DebugCapIdentify(ntfn), TagNotification);
    check("Untyped_Retype into occupied slot",
          seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, 0, 0, ep, 1), seL4_DeleteFirst);
    check("Untyped_Retype bad type",
          seL4_Untyped_Retype(ut, 1000, 0, ROOT, 0, 0, ep + 3, 1), seL4_InvalidArgument);
    check("CNode_Mint notification badge 0x55",
          seL4_CNode_Mint(ROOT, badged, DEPTH, ROOT, ntfn, DEPTH, seL4_AllRights, 0x55),
          seL4_NoError);
#if KEELCHECK_IPC
    /* keel has no Recv yet (it stops the thread), so this case is opt-in. */
    seL4_Signal(badged);
    seL4_Word badge = 0;
    seL4_Poll(ntfn, &badge);
    check("Signal then Poll returns the badge", badge, 0x55);
#endif
    check("CNode_Revoke untyped", seL4_CNode_Revoke(ROOT, ut, DEPTH), seL4_NoError);
    check("revoke emptied endpoint", seL4_DebugCapIdentify(ep), TagNull);
    check("revoke emptied notification", seL4_DebugCapIdentify(ntfn), TagNull);
    check("revoke emptied badged notification", seL4_DebugCapIdentify(badged), TagNull);
    check("Untyped_Retype after revoke",
          seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, 0, 0, ep, 1), seL4_NoError);
}

/* Error replies as libsel4 decodes them: the error code plus the words in MR0.. */
static void check_error_replies(seL4_BootInfo *bi)
{
    seL4_CPtr empty = bi->empty.start + 20, dst = empty + 1;
    check("CNode_Copy from empty slot",
          seL4_CNode_Copy(ROOT, dst, DEPTH, ROOT, empty, DEPTH, seL4_AllRights),
          seL4_FailedLookup);
    check("  MR0 failedLookupWasSource", seL4_GetMR(0), 1);
    check("  MR1 lookup fault type MissingCapability", seL4_GetMR(1), seL4_MissingCapability);
    check("  MR2 bitsLeft", seL4_GetMR(2), 64);
    seL4_CPtr ut = find_untyped(bi, 12);
    seL4_Word bits = bi->untypedList[ut - bi->untyped.start].sizeBits;
    check("Untyped_Retype bigger than the untyped",
          seL4_Untyped_Retype(ut, seL4_UntypedObject, bits + 1, ROOT, 0, 0, dst, 1),
          seL4_NotEnoughMemory);
    /* check_untyped left one endpoint at the start of this untyped. */
    check("  MR0 bytes available", seL4_GetMR(0),
          ((seL4_Word)1 << bits) - ((seL4_Word)1 << seL4_EndpointBits));
    check("Untyped_Retype zero objects",
          seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, 0, 0, dst, 0), seL4_RangeError);
    check("  MR0 range min", seL4_GetMR(0), 1);
    check("  MR1 range max (fan-out limit)", seL4_GetMR(1), 256);
    seL4_MessageInfo_t info = seL4_Call(ROOT, seL4_MessageInfo_new(0, 0, 0, 0));
    check("label 0 on a CNode gives IllegalOperation", seL4_MessageInfo_get_label(info),
          seL4_IllegalOperation);
    seL4_ARM_Page_GetAddress_t addr = seL4_ARM_Page_GetAddress(seL4_CapInitThreadIPCBuffer);
    check("Page_GetAddress on the IPC buffer frame", addr.error, seL4_NoError);
    check("  paddr is a RAM page", (addr.paddr & 0xfff) == 0 && addr.paddr >= 0x40000000 &&
          addr.paddr < 0x80000000, 1);
    check("TCB_SetIPCBuffer to the same buffer",
          seL4_TCB_SetIPCBuffer(seL4_CapInitThreadTCB, (seL4_Word)bi->ipcBuffer,
                                seL4_CapInitThreadIPCBuffer), seL4_NoError);
    seL4_DebugNameThread(seL4_CapInitThreadTCB, "keelcheck");
    seL4_Yield();
    check("DebugNameThread and Yield return", 1, 1);
}

int main(void)
{
    put_str("keelcheck: root task built against the real libsel4 + sel4runtime\n");
    seL4_BootInfo *bi = sel4runtime_bootinfo();
    check_bootinfo(bi);
    check_cnode(bi);
    check_smc(bi);
    check_untyped(bi);
    check_error_replies(bi);
    put_str("keelcheck: ");
    put_dec((seL4_Word)passed);
    put_str(" passed, ");
    put_dec((seL4_Word)failed);
    put_str(" failed\n");
    seL4_DebugHalt();
    return 0;
}
EOF
}

configure_sel4() {  # $1 source dir (with settings.cmake), $2 build dir, $3 DTB, more -D args
  local s=$1 b=$2 dtb=$3
  shift 3
  mkdir -p "$b"
  (cd "$b" && cmake -G Ninja -DCMAKE_TOOLCHAIN_FILE="$s/kernel/gcc.cmake" \
      -DCROSS_COMPILER_PREFIX=aarch64-linux-gnu- -DSEL4_CACHE_DIR="$work/.sel4_cache" \
      -DQEMU_DTB="$dtb" -DLIB_MUSLC_PARALLEL_BUILD=OFF "$@" -C "$s/settings.cmake" "$s" \
      >configure.log 2>&1) || { tail -30 "$b/configure.log"; return 1; }
}

# keel image: keel's loader objects + a CPIO made by tools/mkimage.py (as cmake/keel_image.cmake).
keel_loader_image() {  # $1 keel build, $2 kernel ELF, $3 DTB, $4 root task, $5 output ELF
  local cpio=${5%.elf}.cpio
  python3 "$repo/tools/mkimage.py" --kernel "$2" --dtb "$3" --roottask "$4" -o "$cpio"
  printf '.section .rodata.archive, "a"\n.balign 16\n.global _archive_start\n_archive_start:\n.incbin "%s"\n.global _archive_end\n_archive_end:\n' \
    "$cpio" >"${5%.elf}_archive.S"
  clang --target=aarch64-none-elf -c "${5%.elf}_archive.S" -o "${5%.elf}_archive.o"
  local objs=$1/loader/CMakeFiles/keel_loader_objs.dir
  clang++ --target=aarch64-none-elf -fuse-ld=lld -nostdlib -static -Wl,--build-id=none \
    -Wl,-T,"$repo/loader/loader.ld" -Wl,-z,max-page-size=4096 -Wl,-z,norelro \
    "$objs"/archive.cc.obj "$objs"/main.cc.obj "$objs"/start.S.obj "$objs"/util.cc.obj \
    "${5%.elf}_archive.o" -o "$5"
}

# seL4 elfloader image with another kernel: the elfloader's CPIO is kernel.elf, kernel.dtb,
# rootserver (in that order); its link command is replayed with the new archive object.
elfloader_image() {  # $1 seL4 build, $2 kernel ELF, $3 root task ELF, $4 output ELF
  local d
  d=$(mktemp -d "$work/elfloader.XXXX")
  aarch64-linux-gnu-strip "$2" -o "$d/kernel.elf"
  cp "$1/kernel/kernel.dtb" "$d/kernel.dtb"
  aarch64-linux-gnu-strip "$3" -o "$d/rootserver"
  touch -d 1970-01-01T00:00:00Z "$d/kernel.elf" "$d/kernel.dtb" "$d/rootserver"
  (cd "$d" && printf 'kernel.elf\nkernel.dtb\nrootserver\n' |
     cpio --reproducible --owner=+0:+0 --quiet -o -H newc >archive.cpio)
  printf '.section ._archive_cpio,"aw"\n.globl _archive_start, _archive_start_end\n_archive_start:\n.incbin "%s"\n_archive_start_end:\n' \
    "$d/archive.cpio" >"$d/archive.S"
  aarch64-linux-gnu-gcc -march=armv8-a -c -o "$d/archive.o" "$d/archive.S"
  local link
  rm -f "$4"
  link=$(cd "$1" && ninja -t commands elfloader | tail -1)
  link=${link#: && }
  link=${link% && :}
  link=$(echo "$link" | sed "s# elfloader-tool/archive.o # $d/archive.o #; s#-o elfloader-tool/elfloader#-o $4#")
  (cd "$1" && eval "$link") 2>&1 | grep -v "RWX permissions" || true
  [ -f "$4" ]
}

# Runs an image on the QEMU machine keel uses and judges it from the console: $3 is a regex
# that must appear. seL4 spins after DebugHalt instead of powering off, so the run also ends
# when seL4 prints "halting...", on a keel panic, or after $4 seconds.
run_image() {  # $1 name, $2 image, $3 success regex, $4 timeout in seconds
  local out=$work/$1.log t=0 pid
  qemu-system-aarch64 -machine virt,virtualization=on,secure=off -cpu cortex-a53 -m 1G \
    -nographic -kernel "$2" </dev/null >"$out" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null && [ "$t" -lt "$4" ]; do
    grep -Eq "$3|^halting\.\.\.|^KERNEL PANIC" "$out" && break
    sleep 1
    t=$((t + 1))
  done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if grep -Eq "$3" "$out"; then
    results+=("PASS  $1: $(grep -E "$3" "$out" | tail -1)")
  else
    results+=("FAIL  $1: $(grep -v '^\s*$' "$out" | tail -1) (log $out)")
  fi
}

log "building keel in $work/keel"
build_keel "$work/keel" 12
keel_kernel=$work/keel/platform/qemu-virt/kernel.elf
keel_dtb=$work/keel/platform/qemu-virt/qemu-virt.dtb

log "setting up the seL4 project in $work/proj"
write_keelcheck_project
configure_sel4 "$work/proj" "$work/build-keelcheck" "$keel_dtb" -DKEELCHECK_IPC=$ipc \
  -DKEELCHECK_DUMP_UNTYPEDS=$dump
log "building seL4, libsel4, sel4runtime, musllibc, elfloader, keelcheck"
ninja -C "$work/build-keelcheck" -j2 >"$work/build-keelcheck/build.log" 2>&1 ||
  { tail -30 "$work/build-keelcheck/build.log"; exit 1; }
sb=$work/build-keelcheck
keelcheck=$sb/projects/keelcheck/keelcheck
pass_re='keelcheck: [0-9]+ passed, 0 failed'

log "running"
run_image baseline-sel4-elfloader-keelcheck "$sb/images/keelcheck-image-arm-qemu-arm-virt" "$pass_re" 20
keel_loader_image "$work/keel" "$keel_kernel" "$keel_dtb" "$keelcheck" "$work/B-keel-keelcheck.elf"
run_image B-keel-loader-keel-keelcheck "$work/B-keel-keelcheck.elf" "$pass_re" 30
elfloader_image "$sb" "$keel_kernel" "$work/keel/apps/systest/systest.elf" "$work/A-systest.elf"
run_image A-sel4-elfloader-keel-systest "$work/A-systest.elf" '^[0-9]+ passed, 0 failed' 60
elfloader_image "$sb" "$keel_kernel" "$keelcheck" "$work/A-keelcheck.elf"
run_image A-sel4-elfloader-keel-keelcheck "$work/A-keelcheck.elf" "$pass_re" 30
keel_loader_image "$work/keel" "$sb/kernel/kernel.elf" "$keel_dtb" "$keelcheck" "$work/C-sel4.elf"
run_image C-keel-loader-sel4-keelcheck "$work/C-sel4.elf" "$pass_re" 20

if [ $with_sel4test -eq 1 ]; then
  log "setting up sel4test in $work/proj-test (root CNode 2^13 slots, as sel4test sets)"
  t=$work/proj-test
  mkdir -p "$t/tools" "$t/projects"
  ln -sfn "${src[sel4]}" "$t/kernel"
  copy_tree "${src[sel4-tools]}" "$t/tools/seL4"
  ln -sfn "${src[nanopb]}" "$t/tools/nanopb"
  copy_tree "${src[musllibc]}" "$t/projects/musllibc"
  copy_tree "${src[sel4test]}" "$t/projects/sel4test"  # its settings.cmake finds ../.. by path
  for k in sel4runtime:sel4runtime util-libs:util_libs sel4-libs:seL4_libs \
           sel4-projects-libs:seL4_projects_libs; do ln -sfn "${src[${k%%:*}]}" "$t/projects/${k#*:}"; done
  build_keel "$work/keel13" 13
  mkdir -p "$work/build-sel4test"
  (cd "$work/build-sel4test" && cmake -G Ninja -DPLATFORM=qemu-arm-virt -DAARCH64=1 \
     -DSIMULATION=TRUE -DKernelAllowSMCCalls=ON -DCROSS_COMPILER_PREFIX=aarch64-linux-gnu- \
     -DQEMU_DTB="$keel_dtb" -DLIB_MUSLC_PARALLEL_BUILD=OFF -DSEL4_CACHE_DIR="$work/.sel4_cache" \
     -C "$t/projects/sel4test/settings.cmake" "$t/projects/sel4test" >configure.log 2>&1) ||
    { tail -30 "$work/build-sel4test/configure.log"; exit 1; }
  ninja -C "$work/build-sel4test" -j2 >"$work/build-sel4test/build.log" 2>&1 ||
    { tail -30 "$work/build-sel4test/build.log"; exit 1; }
  tb=$work/build-sel4test
  run_image sel4test-on-sel4 "$tb/images/sel4test-driver-image-arm-qemu-arm-virt" \
    'All is well in the universe' 300
  keel_loader_image "$work/keel13" "$work/keel13/platform/qemu-virt/kernel.elf" "$keel_dtb" \
    "$tb/apps/sel4test-driver/sel4test-driver" "$work/keel-sel4test.elf"
  run_image sel4test-on-keel "$work/keel-sel4test.elf" 'All is well in the universe' 120
fi

echo
log "results (logs in $work):"
printf '  %s\n' "${results[@]}"
! printf '%s\n' "${results[@]}" | grep -q '^FAIL'
