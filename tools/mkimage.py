#!/usr/bin/env python3
"""Pack a root task ELF with keel's kernel and DTB into a bootable image (or just its archive).

The archive is a newc CPIO with kernel.elf, kernel.dtb and the root task ELF, in the order seL4's
elfloader expects: the kernel first, the DTB second, then exactly one user ELF. With --loader the
archive is linked into keel's loader (loader/loader.ld) and the output is the bootable image ELF
that QEMU's -kernel boots, or with --format bin that ELF flattened to the raw binary a boot
firmware loads: it starts with the loader's arm64 Linux Image header, so U-Boot's `booti` starts
it as it starts a board's kernel (docs/uboot.md). Without --loader the output is the archive.
The build (cmake/keel_image.cmake) and `./keel image` both make images this way: there is one way.

Every input is checked for what the loader would refuse at boot, and a bad one gets a one-line
"error:" message and exit status 1. --check checks a root task on its own (no kernel needed).
"""
import argparse
import os
import re
import struct
import subprocess
import sys
import tempfile

EM_AARCH64 = 183
ET_EXEC = 2
PT_LOAD = 1
FDT_MAGIC = 0xD00DFEED
PAGE = 4096
TOP = 1 << 64
LOADER_LD = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "loader",
                                          "loader.ld"))
# User virtual addresses end here (TTBR0, 48 bits); the kernel's window starts at
# 0xffffff8000000000 (kernel/api/object_type.h kUserTop + 1).
USER_TOP = 1 << 47
MACHINES = {3: "x86", 8: "MIPS", 20: "PowerPC", 21: "PowerPC64", 22: "S390", 40: "32-bit Arm",
            62: "x86-64", 183: "AArch64", 243: "RISC-V"}


class ImageError(Exception):
    pass


def read_input(path, what):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        raise ImageError(f"cannot read {what} '{path}': {e.strerror}") from None


def check_elf(data, path, what):
    if len(data) < 4 or data[:4] != b"\x7fELF":
        raise ImageError(f"{what} '{path}' is not an ELF file")
    if len(data) > 4 and data[4] == 1:
        raise ImageError(f"{what} '{path}' is a 32-bit ELF; keel needs a 64-bit AArch64 ELF")
    if len(data) < 64:
        raise ImageError(f"{what} '{path}' is truncated ({len(data)} bytes, less than an ELF header)")
    if data[4] != 2:
        raise ImageError(f"{what} '{path}' is not a 64-bit ELF (EI_CLASS {data[4]})")
    if data[5] != 1:
        raise ImageError(f"{what} '{path}' is not a little-endian ELF; keel needs a 64-bit "
                         "little-endian AArch64 ELF")
    e_type, e_machine = struct.unpack_from("<HH", data, 16)
    if e_machine != EM_AARCH64:
        name = MACHINES.get(e_machine, "another machine")
        raise ImageError(f"{what} '{path}' is not an AArch64 ELF (it is for {name}, "
                         f"e_machine {e_machine})")
    if e_type != ET_EXEC:
        raise ImageError(f"{what} '{path}' is not an executable (e_type {e_type}; "
                         "static, non-PIE executables only)")


def check_user_addresses(span, path):
    """The root task runs at EL0 on TTBR0: every byte of it, and the IPC buffer and bootinfo
    pages the kernel maps after it, must be a user address, clear of the kernel's window."""
    start, end = span
    if end + 2 * PAGE > USER_TOP:
        raise ImageError(f"root task '{path}': its segments [{start:#x}, {end:#x}) are not user "
                         f"addresses (link it below {USER_TOP:#x}; the kernel's window starts at "
                         "0xffffff8000000000)")


def load_span(data, path, what):
    """The page-rounded (vaddr, paddr) spans of an ELF's PT_LOAD segments, as the loader
    computes them, refusing what the loader would refuse (loader/image_layout.cc)."""
    phoff, = struct.unpack_from("<Q", data, 32)
    phentsize, phnum = struct.unpack_from("<HH", data, 54)
    if phentsize != 56 or phoff > len(data) or phnum * 56 > len(data) - phoff:
        raise ImageError(f"{what} '{path}': program headers lie outside the file (truncated?)")
    v = [TOP, 0]
    p = [TOP, 0]
    for i in range(phnum):
        p_type, _, off, va, pa, filesz, memsz = struct.unpack_from("<IIQQQQQ", data, phoff + 56 * i)
        if p_type != PT_LOAD:
            continue
        if filesz > memsz:
            raise ImageError(f"{what} '{path}': a segment's file size exceeds its memory size")
        if off > len(data) or filesz > len(data) - off:
            raise ImageError(f"{what} '{path}': a segment lies outside the file (truncated?)")
        for start, span in ((va, v), (pa, p)):
            if start + memsz > TOP - PAGE + 1:
                raise ImageError(f"{what} '{path}': a segment at {start:#x} of {memsz:#x} bytes "
                                 "wraps past 2^64")
            span[0] = min(span[0], start // PAGE * PAGE)
            span[1] = max(span[1], align(start + memsz, PAGE))
    if v[1] <= v[0]:
        raise ImageError(f"{what} '{path}': no loadable segment")
    return v, p


def align(n, a):
    return (n + a - 1) // a * a


def dtb_memory(dtb):
    """The first /memory node's first (base, size), read from the structure block."""
    off_struct, off_strings = struct.unpack_from(">II", dtb, 8)
    pos, depth, in_memory = off_struct, 0, False
    while pos + 4 <= len(dtb):
        token, = struct.unpack_from(">I", dtb, pos)
        pos += 4
        if token == 1:  # FDT_BEGIN_NODE
            end = dtb.index(b"\0", pos)
            depth += 1
            in_memory = depth == 2 and dtb[pos:end].split(b"@")[0] == b"memory"
            pos = align(end + 1, 4)
        elif token == 2:  # FDT_END_NODE
            depth -= 1
            in_memory = False
        elif token == 3:  # FDT_PROP
            length, name_off = struct.unpack_from(">II", dtb, pos)
            name = dtb[off_strings + name_off:dtb.index(b"\0", off_strings + name_off)]
            if in_memory and name == b"reg" and length >= 16:
                return struct.unpack_from(">QQ", dtb, pos + 8)  # virt: 2 address, 2 size cells
            pos = align(pos + 8 + length, 4)
        elif token == 9:  # FDT_END
            break
    raise ImageError("DTB describes no memory node with a 64-bit reg")


def loader_region():
    """[start, end) the loader may occupy, from its linker script."""
    with open(LOADER_LD, encoding="utf-8") as f:
        text = f.read()
    base = re.search(r"LOADER_BASE = (0x[0-9a-fA-F]+);", text)
    limit = re.search(r"__loader_end <= (0x[0-9a-fA-F]+)", text)
    return int(base.group(1), 16), int(limit.group(1), 16)


def check_placement(kernel, dtb, roottask, paths):
    """What the loader checks at boot (loader/image_layout.cc place_images), at pack time."""
    _, (k_start, k_end) = load_span(kernel, paths[0], "kernel")
    (u_start, u_end), _ = load_span(roottask, paths[1], "root task")
    ram_base, ram_size = dtb_memory(dtb)
    ram_end = ram_base + ram_size
    lo, hi = loader_region()
    if k_start < ram_base or k_end > ram_end:
        raise ImageError(f"kernel '{paths[0]}' [{k_start:#x}, {k_end:#x}) is not in RAM")
    user = align(k_end + len(dtb), PAGE)
    user_end = user + (u_end - u_start)
    if user_end > ram_end:
        raise ImageError(f"root task '{paths[1]}' is too large: it needs {u_end - u_start:#x} "
                         f"bytes from {user:#x}, but RAM ends at {ram_end:#x}")
    if k_end < hi and user_end > lo:
        raise ImageError(f"root task '{paths[1]}' would reach the loader at {lo:#x} "
                         f"(it needs [{user:#x}, {user_end:#x}); at most {lo - user:#x} bytes fit)")


def check_dtb(data, path):
    if len(data) < 40 or struct.unpack_from(">I", data, 0)[0] != FDT_MAGIC:
        raise ImageError(f"DTB '{path}' is not a flattened device tree (bad magic)")
    total = struct.unpack_from(">I", data, 4)[0]
    if total > len(data):
        raise ImageError(f"DTB '{path}' is truncated ({len(data)} bytes, header says {total})")


def pack_dtb(data):
    """Drops the free space QEMU leaves at the end of a dumped DTB (1 MiB -> a few KiB).

    Only when the strings block is last, so cutting the tail loses nothing; totalsize follows.
    """
    total, off_struct, off_strings, off_rsvmap = struct.unpack_from(">IIII", data, 4)
    size_strings, size_struct = struct.unpack_from(">II", data, 32)
    end_strings = off_strings + size_strings
    if not (off_rsvmap < off_struct <= off_struct + size_struct <= off_strings) or end_strings > total:
        return data[:total]
    packed = bytearray(data[:end_strings + pad4(end_strings)])
    struct.pack_into(">I", packed, 4, len(packed))
    return bytes(packed)


def pad4(n):
    return (4 - n % 4) % 4


def cpio_entry(name, data, ino):
    name_bytes = name.encode() + b"\0"
    fields = [ino, 0o100644, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(name_bytes), 0]
    header = b"070701" + b"".join(b"%08X" % v for v in fields)
    out = header + name_bytes + b"\0" * pad4(len(header) + len(name_bytes))
    return out + data + b"\0" * pad4(len(data))


def build_archive(kernel, dtb, roottask, roottask_name):
    entries = [("kernel.elf", kernel)]
    if dtb is not None:
        entries.append(("kernel.dtb", dtb))
    entries.append((roottask_name, roottask))
    blob = b"".join(cpio_entry(n, d, i + 1) for i, (n, d) in enumerate(entries))
    return blob + cpio_entry("TRAILER!!!", b"", 0)


ARCHIVE_ASM = """// Generated by tools/mkimage.py: the boot archive linked into keel's loader.
.section .rodata.archive, "a"
.balign 16
.global _archive_start
_archive_start:
.incbin "archive.cpio"
.global _archive_end
_archive_end:
"""


def run_step(cmd, what, cwd):
    try:
        result = subprocess.run(cmd, cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True,
                                text=True)
    except OSError as e:
        raise ImageError(f"cannot run '{cmd[0]}' for {what}: {e.strerror} (tools/bootstrap.sh "
                         "installs clang and lld)") from None
    if result.returncode != 0:
        lines = [l for l in result.stderr.splitlines() if l.strip()] or ["(no message)"]
        raise ImageError(f"{what} failed: {lines[0].strip()}")


def link_image(archive, loaders, cc, output):
    """keel's loader with the archive linked in, as a bootable ELF. Deterministic: the same
    inputs give the same bytes, wherever they are and whoever links them."""
    for path in loaders:
        if not os.path.isfile(path):
            raise ImageError(f"cannot read loader '{path}': no such file (build it with "
                             "`cmake --build --preset qemu-virt --target keel_loader`)")
    with tempfile.TemporaryDirectory(prefix="keel-image-") as tmp:
        with open(os.path.join(tmp, "archive.cpio"), "wb") as f:
            f.write(archive)
        with open(os.path.join(tmp, "archive.S"), "w", encoding="utf-8") as f:
            f.write(ARCHIVE_ASM)
        target = "--target=aarch64-none-elf"
        run_step([cc, target, "-c", "archive.S", "-o", "archive.o"], "assembling the archive", tmp)
        run_step([cc, target, "-fuse-ld=lld", "-nostdlib", "-static", "-Wl,--build-id=none",
                  f"-Wl,-T,{LOADER_LD}", "-Wl,-z,max-page-size=4096", "-Wl,-z,norelro",
                  "-Wl,--whole-archive", *[os.path.abspath(p) for p in loaders],
                  "-Wl,--no-whole-archive", "archive.o", "-o", "image.elf"],
                 "linking the image", tmp)
        with open(os.path.join(tmp, "image.elf"), "rb") as f:
            return f.read()


IMAGE_MAGIC = b"ARM\x64"  # at offset 0x38 of an arm64 Linux Image header
IMAGE_HEADER = 64
BOOTI_ALIGN = 2 << 20  # booti places an image text_offset bytes past a 2 MiB aligned base


def flatten(elf):
    """The image ELF as a raw binary: its PT_LOAD bytes from the lowest physical address,
    gaps zero-filled, .bss left out (the loader clears it). Checks the Image header booti reads."""
    phoff, = struct.unpack_from("<Q", elf, 32)
    _, phnum = struct.unpack_from("<HH", elf, 54)
    segments = []
    for i in range(phnum):
        p_type, _, off, _, pa, filesz, _ = struct.unpack_from("<IIQQQQQ", elf, phoff + 56 * i)
        if p_type == PT_LOAD and filesz:
            segments.append((pa, elf[off:off + filesz]))
    if not segments:
        raise ImageError("the linked image has no loadable bytes")
    base = min(pa for pa, _ in segments)
    out = bytearray(max(pa + len(data) for pa, data in segments) - base)
    for pa, data in segments:
        out[pa - base:pa - base + len(data)] = data
    if len(out) < IMAGE_HEADER or out[0x38:0x3C] != IMAGE_MAGIC:
        raise ImageError("the loader does not start with an arm64 Image header (magic "
                         "'ARM\\x64' at 0x38); rebuild it (loader/start.S)")
    text_offset, image_size = struct.unpack_from("<QQ", out, 8)
    if (base - text_offset) % BOOTI_ALIGN or image_size < len(out):
        raise ImageError(f"the loader's Image header does not match its link address {base:#x} "
                         f"(text_offset {text_offset:#x}, image_size {image_size:#x})")
    return bytes(out)


def write_output(path, data):
    tmp = path + ".tmp"
    try:
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError as e:
        raise ImageError(f"cannot write '{path}': {e.strerror}") from None


def check_roottask(path):
    roottask = read_input(path, "root task")
    check_elf(roottask, path, "root task")
    span, _ = load_span(roottask, path, "root task")
    check_user_addresses(span, path)
    return roottask


def pack(args):
    if args.check:
        check_roottask(args.roottask)
        return
    kernel = read_input(args.kernel, "kernel")
    check_elf(kernel, args.kernel, "kernel")
    dtb = None
    if args.dtb:
        dtb = read_input(args.dtb, "DTB")
        check_dtb(dtb, args.dtb)
        dtb = pack_dtb(dtb)
    roottask = check_roottask(args.roottask)
    load_span(kernel, args.kernel, "kernel")
    if dtb is not None:
        check_placement(kernel, dtb, roottask, (args.kernel, args.roottask))
    archive = build_archive(kernel, dtb, roottask, os.path.basename(args.roottask))
    if args.loader:
        image = link_image(archive, args.loader, args.cc, args.output)
        write_output(args.output, flatten(image) if args.format == "bin" else image)
    else:
        write_output(args.output, archive)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    prog = "mkimage.py"
    if argv[:1] == ["--prog"] and len(argv) > 1:  # `./keel image` reports as itself
        prog, argv = argv[1], argv[2:]
    ap = argparse.ArgumentParser(prog=prog, description=__doc__.splitlines()[0],
                                 fromfile_prefix_chars="@")
    ap.add_argument("--kernel", help="kernel ELF (AArch64)")
    ap.add_argument("--dtb", help="device tree blob for the kernel (optional)")
    ap.add_argument("--roottask", required=True, help="root task ELF (AArch64)")
    ap.add_argument("--loader", action="append", metavar="LIB",
                    help="keel's loader (libkeel_loader.a or objects; repeatable): link a "
                         "bootable image ELF instead of writing the archive alone")
    ap.add_argument("--cc", default="clang", help="clang that assembles and links (with --loader)")
    ap.add_argument("--check", action="store_true",
                    help="only check the root task (ELF kind, segments, user addresses)")
    ap.add_argument("--format", default="elf", metavar="elf|bin",
                    help="with --loader: the image ELF QEMU's -kernel boots (default), or a raw "
                         "binary with an arm64 Image header for U-Boot's booti")
    ap.add_argument("-o", "--output", help="image (with --loader) or CPIO archive to write")
    args = ap.parse_args(argv)
    if not args.check and (args.kernel is None or args.output is None):
        ap.error("--kernel and -o are required (unless --check)")
    # Checked here, not by argparse's choices, for a one-line message without the usage.
    if args.format not in ("elf", "bin"):
        print(f"{prog}: error: unknown image format '{args.format}' (elf or bin)", file=sys.stderr)
        return 1
    if args.format == "bin" and not args.loader and not args.check:
        print(f"{prog}: error: --format bin needs --loader (a raw binary is a linked image)",
              file=sys.stderr)
        return 1
    try:
        pack(args)
    except (ImageError, OSError, struct.error, ValueError) as e:
        print(f"{prog}: error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
