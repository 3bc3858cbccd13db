#!/usr/bin/env python3
"""Bad inputs to the image tools get a one-line error, never a traceback or a hang.

Runs mkimage.py and run_qemu.py as a user would, on ELF files made here and the committed QEMU
virt DTB; needs no cross build and no QEMU (run_qemu.py must refuse before starting one).
"""
import os
import struct
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
MKIMAGE = os.path.join(ROOT, "tools", "mkimage.py")
RUN_QEMU = os.path.join(ROOT, "tools", "run_qemu.py")
DTB = os.path.join(ROOT, "platform", "qemu-virt", "testdata", "qemu-virt.dtb")
KERNEL_VA = 0xFFFFFF8040000000


def elf(segments, extra=0x1000):
    """An AArch64 ET_EXEC with PT_LOAD segments (offset, vaddr, paddr, filesz, memsz)."""
    phnum = len(segments)
    header = bytearray(64)
    header[:6] = b"\x7fELF\x02\x01"
    struct.pack_into("<HHIQQ", header, 16, 2, 183, 1, segments[0][1] if segments else 0, 64)
    struct.pack_into("<HH", header, 54, 56, phnum)
    phdrs = b"".join(struct.pack("<IIQQQQQQ", 1, 5, off, va, pa, filesz, memsz, 0x1000)
                     for off, va, pa, filesz, memsz in segments)
    return bytes(header) + phdrs + bytes(extra)


def kernel_elf():
    return elf([(0x100, KERNEL_VA, 0x40000000, 0x100, 0x100000)])


def roottask(memsz=0x10000, vaddr=0x400000):
    return elf([(0x100, vaddr, vaddr, 0x100, memsz)])


class Tool(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)

    def file(self, name, data):
        path = os.path.join(self.dir.name, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def run_tool(self, *args):
        result = subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=30)
        self.assertNotIn("Traceback", result.stderr)
        return result

    def pack(self, user, kernel=None):
        args = [MKIMAGE, "--kernel", self.file("kernel.elf", kernel or kernel_elf()), "--dtb", DTB,
                "--roottask", self.file("user.elf", user), "-o", os.path.join(self.dir.name, "out.cpio")]
        return self.run_tool(*args)

    def assert_refused(self, result, words):
        self.assertEqual(result.returncode, 1, result.stderr)
        lines = result.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, result.stderr)
        self.assertTrue(lines[0].startswith("mkimage.py: error: "), lines[0])
        self.assertIn(words, lines[0])


class MkImage(Tool):
    def test_packs_a_good_root_task(self):
        result = self.pack(roottask())
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(os.path.join(self.dir.name, "out.cpio"), "rb") as f:
            self.assertIn(b"user.elf", f.read())

    def test_refuses_a_root_task_truncated_after_its_program_headers(self):
        self.assert_refused(self.pack(roottask()[:64 + 56 + 16]), "a segment lies outside the file")
        self.assert_refused(self.pack(roottask()[:64 + 20]), "program headers lie outside the file")

    def test_refuses_a_segment_that_wraps_past_2_to_64(self):
        self.assert_refused(self.pack(roottask(memsz=0x2000, vaddr=0xFFFFFFFFFFFFF000)), "wraps past 2^64")

    def test_refuses_a_root_task_larger_than_ram(self):
        self.assert_refused(self.pack(roottask(memsz=2 << 30)), "RAM ends at 0x80000000")

    def test_refuses_a_root_task_that_reaches_the_loader(self):
        self.assert_refused(self.pack(roottask(memsz=64 << 20)), "would reach the loader")

    def test_refuses_a_file_that_is_not_an_elf(self):
        self.assert_refused(self.pack(b"#!/bin/sh\necho hello\n" * 10), "is not an ELF file")


class RunQemu(Tool):
    def test_refuses_an_image_that_is_not_an_elf(self):
        result = self.run_tool(RUN_QEMU, self.file("image.elf", b"not an image" * 100), "--timeout", "5")
        self.assertEqual(result.returncode, 1)
        self.assertIn("is not an ELF file", result.stderr)
        self.assertNotIn("TIMEOUT", result.stdout)

    def test_refuses_an_elf_for_another_machine(self):
        x86 = bytearray(roottask())
        struct.pack_into("<H", x86, 18, 62)
        result = self.run_tool(RUN_QEMU, self.file("image.elf", bytes(x86)), "--timeout", "5")
        self.assertEqual(result.returncode, 1)
        self.assertIn("is not a 64-bit AArch64 ELF", result.stderr)


if __name__ == "__main__":
    unittest.main()
