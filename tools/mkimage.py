#!/usr/bin/env python3
"""Pack keel's boot archive: a newc CPIO with kernel.elf, kernel.dtb and the root task ELF.

The loader links the archive in (see cmake/keel_image.cmake). The entry order is the one seL4's
elfloader expects: the kernel first, the DTB second, then exactly one user ELF.
"""
import argparse
import os
import struct
import sys

EM_AARCH64 = 183
ET_EXEC = 2
FDT_MAGIC = 0xD00DFEED


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
        archive = build_archive(kernel, dtb, roottask, os.path.basename(args.roottask))
        tmp = args.output + ".tmp"
        with open(tmp, "wb") as f:
            f.write(archive)
        os.replace(tmp, args.output)
    except (ImageError, OSError) as e:
        print(f"mkimage.py: error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
