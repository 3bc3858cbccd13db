#!/usr/bin/env python3
"""`./keel image` and `./keel run` refuse a bad root task with one clear line, and mkimage.py
(the tool both they and the build pack images with) refuses what the loader could not boot.

Each refusal: exit status 1, exactly one line on stderr starting "<tool>: error: ", no traceback.
Every root task given to ./keel here is refused before anything is built, so this needs no cross
build and no QEMU; the linking case assembles a stand-in loader with clang (tools/bootstrap.sh
installs it). tests/tools/keel_image_qemu_test.py packs and boots a real root task.
"""
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
KEEL = os.path.join(ROOT, "keel")
MKIMAGE = os.path.join(ROOT, "tools", "mkimage.py")
DTB = os.path.join(ROOT, "platform", "qemu-virt", "testdata", "qemu-virt.dtb")
KERNEL_VA = 0xFFFFFF8040000000
PT_LOAD, PT_NOTE = 1, 4


def elf64(segments, machine=183, e_type=2, p_type=PT_LOAD):
    """An ELF64 with program headers (offset, vaddr, paddr, filesz, memsz) of type p_type."""
    header = bytearray(64)
    header[:7] = b"\x7fELF\x02\x01\x01"
    entry = segments[0][1] if segments else 0
    struct.pack_into("<HHIQQ", header, 16, e_type, machine, 1, entry, 64)
    struct.pack_into("<HH", header, 54, 56, len(segments))
    phdrs = b"".join(struct.pack("<IIQQQQQQ", p_type, 5, off, va, pa, filesz, memsz, 0x1000)
                     for off, va, pa, filesz, memsz in segments)
    return bytes(header) + phdrs + bytes(0x1000)


def elf32_arm():
    """A 32-bit little-endian Arm executable header (ELFCLASS32, EM_ARM)."""
    header = bytearray(52)
    header[:7] = b"\x7fELF\x01\x01\x01"
    struct.pack_into("<HHIIII", header, 16, 2, 40, 1, 0x8000, 52, 0)
    return bytes(header) + bytes(256)


def roottask(vaddr=0x400000, memsz=0x10000, paddr=None):
    return elf64([(0x100, vaddr, vaddr if paddr is None else paddr, 0x100, memsz)])


def kernel_elf():
    return elf64([(0x100, KERNEL_VA, 0x40000000, 0x100, 0x100000)])


class Base(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)

    def file(self, name, data):
        path = os.path.join(self.dir.name, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def run_cmd(self, *cmd, cwd=None):
        result = subprocess.run(list(cmd), capture_output=True, text=True, timeout=60,
                                cwd=cwd or self.dir.name, stdin=subprocess.DEVNULL)
        self.assertNotIn("Traceback", result.stderr)
        return result

    def assert_refused(self, result, prefix, words):
        self.assertEqual(result.returncode, 1, result.stderr)
        lines = result.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, result.stderr)
        self.assertTrue(lines[0].startswith(prefix + ": error: "), lines[0])
        self.assertIn(words, lines[0])
        return lines[0]


class KeelImage(Base):
    """The front door, as a user types it: relative paths, from the user's own directory."""

    def keel(self, *args):
        return self.run_cmd(KEEL, *args)

    def refused(self, data, words, name="task.elf"):
        path = name if data is None else os.path.basename(self.file(name, data))
        line = self.assert_refused(self.keel("image", path, "-o", "out.elf"), "keel image", words)
        self.assertIn(f"'{path}'", line)  # the file as the user named it
        self.assertFalse(os.path.exists(os.path.join(self.dir.name, "out.elf")))
        return line

    def test_a_file_that_does_not_exist(self):
        self.assertEqual(self.refused(None, "", name="missing.elf"),
                         "keel image: error: cannot read root task 'missing.elf': "
                         "No such file or directory")

    def test_a_file_that_is_not_an_elf(self):
        self.assertEqual(self.refused(b"int main() { return 0; }\n", ""),
                         "keel image: error: root task 'task.elf' is not an ELF file")

    def test_an_empty_file(self):
        self.refused(b"", "is not an ELF file")

    def test_an_elf_for_another_machine(self):
        self.assertEqual(self.refused(elf64([(0x100, 0x400000, 0x400000, 0x100, 0x1000)],
                                            machine=62), ""),
                         "keel image: error: root task 'task.elf' is not an AArch64 ELF "
                         "(it is for x86-64, e_machine 62)")

    def test_the_hosts_own_true(self):
        true = shutil.which("true") or "/bin/true"
        with open(true, "rb") as f:
            head = f.read(20)
        if head[18:20] == (183).to_bytes(2, "little"):
            self.skipTest("the host is AArch64: its /bin/true is the right machine")
        result = self.keel("image", true, "-o", "out.elf")
        self.assert_refused(result, "keel image", f"root task '{true}' is not an AArch64 ELF")

    def test_a_32_bit_elf(self):
        self.assertEqual(self.refused(elf32_arm(), ""),
                         "keel image: error: root task 'task.elf' is a 32-bit ELF; keel needs a "
                         "64-bit AArch64 ELF")

    def test_a_position_independent_executable(self):
        self.refused(elf64([(0x100, 0, 0, 0x100, 0x1000)], e_type=3),
                     "is not an executable (e_type 3; static, non-PIE executables only)")

    def test_no_loadable_segments(self):
        self.assertEqual(self.refused(elf64([(0x100, 0x400000, 0x400000, 0x100, 0x100)],
                                            p_type=PT_NOTE), ""),
                         "keel image: error: root task 'task.elf': no loadable segment")
        self.refused(elf64([]), "no loadable segment")

    def test_segments_in_the_kernels_address_range(self):
        self.assertEqual(self.refused(roottask(vaddr=KERNEL_VA), ""),
                         "keel image: error: root task 'task.elf': its segments "
                         "[0xffffff8040000000, 0xffffff8040010000) are not user addresses (link "
                         "it below 0x800000000000; the kernel's window starts at "
                         "0xffffff8000000000)")

    def test_segments_that_end_past_the_user_range(self):
        self.refused(roottask(vaddr=0x7FFFFFFF0000, memsz=0x10000), "are not user addresses")

    def test_a_truncated_file(self):
        self.refused(roottask()[:64 + 56 + 16], "a segment lies outside the file (truncated?)")

    def test_run_refuses_the_same_way(self):
        path = self.file("task.elf", elf32_arm())
        self.assert_refused(self.keel("run", "task.elf", "--gdb"), "keel run", f"'task.elf' is a 32-bit ELF")
        self.assert_refused(self.keel("run", path, "--", "-d", "int"), "keel run", "is a 32-bit ELF")

    def test_usage_errors(self):
        for args in (["image"], ["image", "a.elf", "b.elf"], ["image", "a.elf", "--gdb"],
                     ["image", "a.elf", "-o"], ["run", "a.elf", "--timeout"], ["image", "--x"]):
            result = self.keel(*args)
            self.assertEqual(result.returncode, 2, args)
            self.assertIn("./keel image ROOTTASK.elf [-o IMAGE.elf]", result.stderr)


class MkImagePlacement(Base):
    """What needs keel's kernel and DTB to judge: where the root task lands in RAM. The build
    packs with the same tool, so a stand-in kernel and the committed QEMU DTB show the messages
    `./keel image` gives (tests/tools/keel_image_qemu_test.py checks two through ./keel)."""

    def pack(self, user, *extra):
        return self.run_cmd(sys.executable, MKIMAGE, "--kernel", self.file("kernel.elf", kernel_elf()),
                            "--dtb", DTB, "--roottask", self.file("user.elf", user), *extra,
                            "-o", os.path.join(self.dir.name, "out"))

    def test_a_root_task_larger_than_ram(self):
        self.assert_refused(self.pack(roottask(memsz=2 << 30)), "mkimage.py",
                            "is too large: it needs 0x80000000 bytes from 0x40102000, but RAM ends "
                            "at 0x80000000")

    def test_a_root_task_that_would_reach_the_loader(self):
        self.assert_refused(self.pack(roottask(memsz=64 << 20)), "mkimage.py",
                            "would reach the loader at 0x43000000 (it needs [0x40102000, "
                            "0x44102000); at most 0x2efe000 bytes fit)")

    def test_physical_addresses_are_the_loaders_choice(self):
        # As with seL4's elfloader, the root task goes after the kernel and DTB whatever its
        # p_paddr says, so one linked at the kernel's or the loader's address packs.
        for paddr in (0x40000000, 0x43000000, 0):
            result = self.pack(roottask(paddr=paddr))
            self.assertEqual(result.returncode, 0, result.stderr)

    def test_links_an_image_with_a_loader(self):
        cc = shutil.which("clang")
        if not cc:
            self.skipTest("no clang (tools/bootstrap.sh installs it)")
        src = self.file("loader.S", b".section .text.start, \"ax\"\n.global _start\n_start:\n"
                                    b"  adr x0, _archive_start\n  adr x1, _archive_end\n  b .\n")
        obj = os.path.join(self.dir.name, "loader.o")
        subprocess.run([cc, "--target=aarch64-none-elf", "-c", src, "-o", obj], check=True)
        result = self.pack(roottask(), "--loader", obj)
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(os.path.join(self.dir.name, "out"), "rb") as f:
            image = f.read()
        self.assertEqual(image[:4], b"\x7fELF")
        self.assertEqual(struct.unpack_from("<HHIQ", image, 16), (2, 183, 1, 0x43000000))
        self.assertIn(b"070701", image)  # the CPIO archive is inside
        self.assertIn(b"user.elf\0", image)

    def test_a_loader_that_does_not_link(self):
        bad = self.file("libkeel_loader.a", b"not an archive\n")
        self.assert_refused(self.pack(roottask(), "--loader", bad), "mkimage.py",
                            "linking the image failed: ")

    def test_a_missing_loader(self):
        self.assert_refused(self.pack(roottask(), "--loader", "nowhere/libkeel_loader.a"),
                            "mkimage.py", "cannot read loader 'nowhere/libkeel_loader.a'")

    def test_a_missing_compiler(self):
        obj = self.file("loader.o", b"")
        self.assert_refused(self.pack(roottask(), "--loader", obj, "--cc", "/nonexistent/clang"),
                            "mkimage.py", "cannot run '/nonexistent/clang' for assembling the "
                            "archive")

    def test_an_output_that_cannot_be_written(self):
        result = self.run_cmd(sys.executable, MKIMAGE, "--kernel", self.file("k.elf", kernel_elf()),
                              "--dtb", DTB, "--roottask", self.file("u.elf", roottask()),
                              "-o", os.path.join(self.dir.name, "no", "such", "dir", "out"))
        self.assert_refused(result, "mkimage.py", "cannot write")


if __name__ == "__main__":
    unittest.main()
