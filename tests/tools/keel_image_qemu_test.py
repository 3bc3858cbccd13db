#!/usr/bin/env python3
"""`./keel image` and `./keel run` on a root task the qemu-virt build already made.

usage: keel_image_qemu_test.py ROOTTASK.elf IMAGE.elf
  ROOTTASK.elf  the demo's root task ELF (build/qemu-virt/apps/demo/demo.elf)
  IMAGE.elf     the image the build packed from it (build/qemu-virt/apps/demo-image.elf)

./keel image must give the build's image byte for byte (one tool, one way to make an image);
./keel run must boot it and show what the demo prints; a root task too large for the space
before the loader, or for RAM, gets one error line from the front door, judged against the real
kernel and DTB. ctest runs this in the qemu-virt build (cmake/keel_image.cmake).
"""
import os
import struct
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
KEEL = os.path.join(ROOT, "keel")
DEMO_LINES = ["keel demo: the root task is running at EL0 on QEMU virt.",
              "6. Powering the machine off through the SMC cap"]
ROOTTASK = IMAGE = None


def roottask(memsz):
    """An AArch64 executable with one PT_LOAD of memsz bytes at 0x400000."""
    header = bytearray(64)
    header[:7] = b"\x7fELF\x02\x01\x01"
    struct.pack_into("<HHIQQ", header, 16, 2, 183, 1, 0x400000, 64)
    struct.pack_into("<HH", header, 54, 56, 1)
    phdr = struct.pack("<IIQQQQQQ", 1, 5, 0x100, 0x400000, 0x400000, 0x100, memsz, 0x1000)
    return bytes(header) + phdr + bytes(0x1000)


class KeelImageOnQemu(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)

    def keel(self, *args, timeout=120):
        result = subprocess.run([KEEL, *args], capture_output=True, text=True, timeout=timeout,
                                cwd=self.dir.name, stdin=subprocess.DEVNULL)
        self.assertNotIn("Traceback", result.stderr)
        return result

    def test_image_is_the_builds_image(self):
        out = os.path.join(self.dir.name, "demo-image.elf")
        result = self.keel("image", ROOTTASK, "-o", "demo-image.elf")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(f"keel image: wrote {out}", result.stderr)
        with open(out, "rb") as a, open(IMAGE, "rb") as b:
            self.assertTrue(a.read() == b.read(), f"{out} differs from {IMAGE}")

    def test_run_boots_the_root_task(self):
        result = self.keel("run", ROOTTASK, "-o", "run.elf", "--timeout", "60", "--", "-smp", "1")
        self.assertEqual(result.returncode, 0, result.stdout[-2000:] + result.stderr)
        for line in DEMO_LINES:
            self.assertIn(line, result.stdout)
        self.assertIn(f"-kernel {self.dir.name}/run.elf -smp 1", result.stderr)  # QEMU args pass

    def refused(self, memsz, words):
        with open(os.path.join(self.dir.name, "big.elf"), "wb") as f:
            f.write(roottask(memsz))
        result = self.keel("image", "big.elf", "-o", "big-image.elf")
        self.assertEqual(result.returncode, 1, result.stderr)
        lines = result.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, result.stderr)
        self.assertTrue(lines[0].startswith("keel image: error: root task 'big.elf' "), lines[0])
        self.assertIn(words, lines[0])
        self.assertFalse(os.path.exists(os.path.join(self.dir.name, "big-image.elf")))

    def test_a_root_task_that_would_reach_the_loader(self):
        self.refused(64 << 20, "would reach the loader at 0x43000000")

    def test_a_root_task_too_large_for_ram(self):
        self.refused(2 << 30, "is too large: it needs 0x80000000 bytes")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__.split("\n\n")[1])
    ROOTTASK, IMAGE = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    unittest.main(argv=sys.argv[:1] + sys.argv[3:])
