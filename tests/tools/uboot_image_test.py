#!/usr/bin/env python3
"""mkimage.py --format bin: the raw binary U-Boot's booti starts, and its refusals.

The header cases link keel's real loader entry (loader/start.S) with the real linker script
(loader/loader.ld) and a stand-in loader_main, so they check the header the loader ships, not
a copy. A refusal: exit status 1, one line on stderr starting "<tool>: error: ", no traceback.
systest_uboot (apps/CMakeLists.txt) boots a real binary through U-Boot.
"""
import os
import re
import shutil
import struct
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from keel_image_test import DTB, KEEL, MKIMAGE, ROOT, Base, kernel_elf, roottask  # noqa: E402

RUN_QEMU = os.path.join(ROOT, "tools", "run_qemu.py")
START_S = os.path.join(ROOT, "loader", "start.S")
LOADER_LD = os.path.join(ROOT, "loader", "loader.ld")
RAM_BASE = 0x40000000  # QEMU virt
PT_LOAD = 1


def loader_base():
    with open(LOADER_LD, encoding="utf-8") as f:
        return int(re.search(r"LOADER_BASE = (0x[0-9a-fA-F]+);", f.read()).group(1), 16)


def load_segments(elf):
    """(paddr, file bytes, memsz) of each PT_LOAD."""
    phoff, = struct.unpack_from("<Q", elf, 32)
    _, phnum = struct.unpack_from("<HH", elf, 54)
    out = []
    for i in range(phnum):
        p_type, _, off, _, pa, filesz, memsz = struct.unpack_from("<IIQQQQQ", elf, phoff + 56 * i)
        if p_type == PT_LOAD:
            out.append((pa, elf[off:off + filesz], memsz))
    return out


class Pack(Base):
    def setUp(self):
        super().setUp()
        self.cc = shutil.which("clang")
        if not self.cc:
            self.skipTest("no clang (tools/bootstrap.sh installs it)")

    def assemble(self, name, source):
        src = source if os.path.isabs(source) else self.file(name + ".S", source)
        obj = os.path.join(self.dir.name, name + ".o")
        subprocess.run([self.cc, "--target=aarch64-none-elf", "-c", src, "-o", obj], check=True)
        return obj

    def loader(self):
        """loader/start.S as it is, with a loader_main that only returns."""
        stub = self.assemble("stub", b".text\n.global loader_main\nloader_main:\n  ret\n")
        return ["--loader", self.assemble("start", START_S), "--loader", stub]

    def pack(self, fmt, *loader, out="out"):
        path = os.path.join(self.dir.name, out)
        kernel = self.file("kernel.elf", kernel_elf())
        user = self.file("user.elf", roottask())
        result = self.run_cmd(sys.executable, MKIMAGE, "--kernel", kernel, "--dtb", DTB,
                              "--roottask", user, *loader, "--format", fmt, "-o", path)
        data = None
        if result.returncode == 0:
            with open(path, "rb") as f:
                data = f.read()
        return result, data


class BinFormat(Pack):
    def both(self):
        result, elf = self.pack("elf", *self.loader(), out="image.elf")
        self.assertEqual(result.returncode, 0, result.stderr)
        result, binary = self.pack("bin", *self.loader(), out="image.bin")
        self.assertEqual(result.returncode, 0, result.stderr)
        return elf, binary

    def test_header_fields(self):
        elf, binary = self.both()
        base = loader_base()
        code0, code1, text_offset, image_size, flags = struct.unpack_from("<IIQQQ", binary, 0)
        self.assertEqual(code0, 0x14000000 | (64 // 4))  # b +64: past the header, to _start
        self.assertEqual(code1, 0)
        self.assertEqual(binary[0x38:0x3C], b"ARM\x64")
        self.assertEqual(text_offset, base - RAM_BASE)  # booti puts it at RAM base + this
        self.assertEqual(flags, 0)  # little-endian, near the start of RAM
        self.assertEqual(binary[0x20:0x38] + binary[0x3C:0x40], bytes(28))
        # image_size covers everything the loader uses, .bss included.
        end = max(pa + memsz for pa, _, memsz in load_segments(elf))
        self.assertEqual(image_size, end - base)
        self.assertEqual(image_size % 4096, 0)
        # QEMU's -kernel starts the ELF past the header, where booti's branch lands.
        self.assertEqual(struct.unpack_from("<Q", elf, 24)[0], base + 64)

    def test_size_and_bytes(self):
        elf, binary = self.both()
        base = loader_base()
        segments = load_segments(elf)
        self.assertEqual(min(pa for pa, _, _ in segments), base)
        # The file-backed bytes only: the loader clears its .bss itself.
        end = max(pa + len(data) for pa, data, _ in segments if data)
        self.assertEqual(len(binary), end - base)
        for pa, data, _ in segments:  # every loaded byte at its offset from the base
            self.assertEqual(binary[pa - base:pa - base + len(data)], data)
        self.assertLess(len(binary), struct.unpack_from("<Q", binary, 16)[0] + 1)
        self.assertIn(b"user.elf\0", binary)  # the CPIO archive is inside

    def test_elf_is_still_the_default(self):
        result, elf = self.pack("elf", *self.loader())
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(elf[:4], b"\x7fELF")

    def test_a_loader_without_the_header(self):
        obj = self.assemble("bare", b".section .text.start, \"ax\"\n.global _start\n_start:\n"
                                    b"  adr x0, _archive_start\n  adr x1, _archive_end\n  b .\n")
        result, _ = self.pack("bin", "--loader", obj)
        self.assert_refused(result, "mkimage.py", "does not start with an arm64 Image header")
        self.assertFalse(os.path.exists(os.path.join(self.dir.name, "out")))


class Refusals(Base):
    def test_an_unknown_format(self):
        for tool in ([sys.executable, MKIMAGE, "--kernel", "k.elf", "--roottask", "u.elf",
                      "-o", "out"],
                     [sys.executable, MKIMAGE, "--check", "--roottask", "u.elf"]):
            result = self.run_cmd(*tool, "--format", "srec")
            self.assert_refused(result, "mkimage.py", "unknown image format 'srec' (elf or bin)")

    def test_keel_image_passes_the_format_through(self):
        self.file("task.elf", roottask())
        result = self.run_cmd(KEEL, "image", "task.elf", "--format", "hex")
        self.assert_refused(result, "keel image", "unknown image format 'hex' (elf or bin)")
        self.assertEqual(self.run_cmd(KEEL, "run", "task.elf", "--format", "bin").returncode, 2)
        self.assertEqual(self.run_cmd(KEEL, "image", "task.elf", "--uboot").returncode, 2)

    def test_bin_needs_the_loader(self):
        result = self.run_cmd(sys.executable, MKIMAGE, "--kernel", "k.elf", "--roottask", "u.elf",
                              "--format", "bin", "-o", "out")
        self.assert_refused(result, "mkimage.py", "--format bin needs --loader")

    def test_uboot_refuses_an_elf(self):
        path = self.file("image.elf", kernel_elf())
        self.assert_refused(self.run_cmd(sys.executable, RUN_QEMU, "--uboot", path), "run_qemu.py",
                            "is an ELF; U-Boot's booti takes the raw binary")

    def test_uboot_without_u_boot(self):
        path = self.file("image.bin", bytes(4096))
        result = self.run_cmd(sys.executable, RUN_QEMU, "--uboot", path, "--uboot-bios",
                              "/nonexistent/u-boot.bin")
        self.assert_refused(result, "run_qemu.py", "no U-Boot at '/nonexistent/u-boot.bin'")


if __name__ == "__main__":
    unittest.main()
