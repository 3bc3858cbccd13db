#!/usr/bin/env python3
"""Pack keel's boot archive: a newc CPIO with kernel.elf, kernel.dtb and the root task ELF.

The loader links the archive in (see cmake/keel_image.cmake). The entry order is the one seL4's
elfloader expects: the kernel first, the DTB second, then exactly one user ELF.
"""
import argparse
import os
import re
import struct
import sys

EM_AARCH64 = 183
ET_EXEC = 2
PT_LOAD = 1
FDT_MAGIC = 0xD00DFEED
PAGE = 4096
TOP = 1 << 64
LOADER_LD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "loader", "loader.ld")


class ImageError(Exception):
    pass


def read_input(path, what):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        raise ImageError(f"cannot read {what} '{path}': {e.strerror}") from None


def check_elf(data, path, what):
    if len(data) < 64 or data[:4] != b"\x7fELF":
        raise ImageError(f"{what} '{path}' is not an ELF file")
    if data[4] != 2 or data[5] != 1:
        raise ImageError(f"{what} '{path}' is not a 64-bit little-endian ELF")
    e_type, e_machine = struct.unpack_from("<HH", data, 16)
    if e_machine != EM_AARCH64:
        raise ImageError(f"{what} '{path}' is not an AArch64 ELF (e_machine {e_machine})")
    if e_type != ET_EXEC:
        raise ImageError(f"{what} '{path}' is not an executable (e_type {e_type}; "
                         "static, non-PIE executables only)")


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
        raise ImageError(f"root task '{paths[1]}' needs {u_end - u_start:#x} bytes at {user:#x}; "
                         f"RAM ends at {ram_end:#x}")
    if k_end < hi and user_end > lo:
        raise ImageError(f"root task '{paths[1]}' would reach the loader at {lo:#x} "
                         f"(it needs [{user:#x}, {user_end:#x}))")


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


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kernel", required=True, help="kernel ELF (AArch64)")
    ap.add_argument("--dtb", help="device tree blob for the kernel (optional)")
    ap.add_argument("--roottask", required=True, help="root task ELF (AArch64)")
    ap.add_argument("-o", "--output", required=True, help="CPIO archive to write")
    args = ap.parse_args(argv)
    try:
        kernel = read_input(args.kernel, "kernel")
        check_elf(kernel, args.kernel, "kernel")
        dtb = None
        if args.dtb:
            dtb = read_input(args.dtb, "DTB")
            check_dtb(dtb, args.dtb)
            dtb = pack_dtb(dtb)
        roottask = read_input(args.roottask, "root task")
        check_elf(roottask, args.roottask, "root task")
        load_span(kernel, args.kernel, "kernel")
        load_span(roottask, args.roottask, "root task")
        if dtb is not None:
            check_placement(kernel, dtb, roottask, (args.kernel, args.roottask))
        archive = build_archive(kernel, dtb, roottask, os.path.basename(args.roottask))
        tmp = args.output + ".tmp"
        with open(tmp, "wb") as f:
            f.write(archive)
        os.replace(tmp, args.output)
    except (ImageError, OSError, struct.error, ValueError) as e:
        print(f"mkimage.py: error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
