#!/usr/bin/env python3
"""examples/hello built against keel's installed SDK, outside keel's tree, and booted on QEMU.

usage: sdk_hello_test.py --build BUILD --work WORK [--keel-run]
  BUILD       a finished qemu-virt build of keel (the SDK is installed from it)
  WORK        a scratch directory, emptied first: the SDK, the example's build dirs, images
  --keel-run  also boot hello.elf with `./keel run`, plain and --uboot (BUILD must be
              build/qemu-virt, ./keel's)

Installs the SDK with `cmake --install` (which builds nothing, so it cannot race a build of
BUILD) and moves it, so nothing in it may name where it was installed; `./keel sdk` must install
the same files and refuse a directory it cannot make in one line; configures and builds
examples/hello with only the SDK; boots its image with tools/run_qemu.py and checks what hello
prints against what the kernel says it handed over; and configuring hello with the host's
toolchain must fail with find_package(keel)'s one clear reason. ctest runs this in the qemu-virt
build (cmake/keel_sdk.cmake).
"""
import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import unittest

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
EXAMPLE = os.path.join(ROOT, "examples", "hello")
KERNEL_LINE = re.compile(r"keel: root task: (\d+) untypeds, slots (\d+)\.\.\d+ free")
HELLO_LINE = re.compile(r"hello: keel handed me (\d+) untyped caps; my first empty slot is (\d+)")
OBJECT_LINE = re.compile(r"hello: notification in slot (\d+), signalled through slot (\d+), "
                         r"polled badge 0x42\b")
ARGS = None


def run(cmd, timeout, **kwargs):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL, **kwargs)


def files(top):
    return sorted(os.path.relpath(os.path.join(d, f), top) for d, _, fs in os.walk(top) for f in fs)


class HelloOnTheSdk(unittest.TestCase):
    sdk = hello = None

    @classmethod
    def setUpClass(cls):
        work = ARGS.work
        shutil.rmtree(work, ignore_errors=True)
        os.makedirs(work)
        staged, cls.sdk = os.path.join(work, "staged"), os.path.join(work, "sdk")
        result = run(["cmake", "--install", ARGS.build, "--prefix", staged], 120)
        if result.returncode != 0:
            raise AssertionError("cmake --install failed (is the build finished?)\n" + result.stderr)
        os.rename(staged, cls.sdk)
        cls.hello = os.path.join(work, "hello-build")
        cls.configure = cls.configure_hello(cls.hello, "-DCMAKE_TOOLCHAIN_FILE=" + cls.toolchain())
        cls.build = run(["cmake", "--build", cls.hello], 120)

    @classmethod
    def toolchain(cls):
        return os.path.join(cls.sdk, "share", "keel", "aarch64-clang.cmake")

    @classmethod
    def configure_hello(cls, build_dir, *options):
        return run(["cmake", "-S", EXAMPLE, "-B", build_dir, "-G", "Ninja",
                    "-DCMAKE_PREFIX_PATH=" + cls.sdk, *options], 120)

    def check_console(self, console):
        kernel = KERNEL_LINE.search(console)
        hello = HELLO_LINE.search(console)
        made = OBJECT_LINE.search(console)
        self.assertTrue(kernel and hello and made, console[-3000:])
        # What hello read from its bootinfo is what the kernel reported handing over.
        self.assertEqual(hello.groups(), kernel.groups(), console[-3000:])
        self.assertEqual(made.groups(), (hello.group(2), str(int(hello.group(2)) + 1)))

    def test_builds_with_only_the_sdk(self):
        self.assertEqual(self.configure.returncode, 0, self.configure.stdout + self.configure.stderr)
        self.assertEqual(self.build.returncode, 0, self.build.stdout + self.build.stderr)
        with open(os.path.join(self.hello, "CMakeCache.txt"), encoding="utf-8") as f:
            self.assertIn(f"keel_DIR:PATH={self.sdk}/lib/cmake/keel", f.read())
        # Nothing of keel's tree or build went into it: every path there of keel's checkout is
        # the example's source or under the scratch directory (the SDK, the example's build).
        with open(os.path.join(self.hello, "build.ninja"), encoding="utf-8") as f:
            paths = set(re.findall(re.escape(ROOT) + r"/[^\s:;|$]*", f.read()))
        outside = sorted(p for p in paths
                         if not p.startswith((EXAMPLE + "/", ARGS.work + "/")) and p != EXAMPLE)
        self.assertEqual(outside, [])

    def test_image_boots_on_qemu(self):
        image = os.path.join(self.hello, "hello-image.elf")
        self.assertTrue(os.path.isfile(image), self.build.stdout + self.build.stderr)
        result = run([sys.executable, os.path.join(ROOT, "tools", "run_qemu.py"), image,
                      "--timeout", "60", "--expect", HELLO_LINE.pattern], 120)
        self.assertEqual(result.returncode, 0, result.stdout[-3000:] + result.stderr)
        self.check_console(result.stdout)

    def test_boots_with_keel_run(self):
        if not ARGS.keel_run:
            self.skipTest("not ./keel's build directory (build/qemu-virt)")
        elf = os.path.join(self.hello, "hello.elf")
        self.assertTrue(os.path.isfile(elf), self.build.stdout + self.build.stderr)
        out = os.path.join(ARGS.work, "run", "hello-image.elf")
        result = run([os.path.join(ROOT, "keel"), "run", elf, "-o", out, "--timeout", "60"], 180,
                     cwd=ARGS.work)
        self.assertEqual(result.returncode, 0, result.stdout[-3000:] + result.stderr)
        self.assertNotIn("Traceback", result.stderr)
        self.check_console(result.stdout)

    def test_boots_through_uboot(self):
        # As a board boots it: U-Boot loads the raw binary over TFTP and starts it (docs/uboot.md).
        if not ARGS.keel_run:
            self.skipTest("not ./keel's build directory (build/qemu-virt)")
        elf = os.path.join(self.hello, "hello.elf")
        self.assertTrue(os.path.isfile(elf), self.build.stdout + self.build.stderr)
        out = os.path.join(ARGS.work, "run", "hello-image.bin")
        result = run([os.path.join(ROOT, "keel"), "run", elf, "--uboot", "-o", out,
                      "--timeout", "60"], 180, cwd=ARGS.work)
        self.assertEqual(result.returncode, 0, result.stdout[-3000:] + result.stderr)
        self.assertIn("Starting kernel ...", result.stdout)
        self.check_console(result.stdout)

    def test_keel_sdk_installs_the_same(self):
        if not ARGS.keel_run:
            self.skipTest("not ./keel's build directory (build/qemu-virt)")
        # A relative DIR is the caller's: work/by-keel, not in keel's checkout.
        result = run([os.path.join(ROOT, "keel"), "sdk", "by-keel"], 180, cwd=ARGS.work)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertEqual(files(os.path.join(ARGS.work, "by-keel")), files(self.sdk))

    def test_keel_sdk_unwritable_dir(self):
        blocker = os.path.join(ARGS.work, "a-file")
        with open(blocker, "w", encoding="utf-8"):
            pass
        result = run([os.path.join(ROOT, "keel"), "sdk", "a-file/sdk"], 30, cwd=ARGS.work)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertEqual(result.stderr.strip().splitlines(),
                         ["keel sdk: error: cannot write to 'a-file/sdk'"])

    def test_host_toolchain_is_refused(self):
        result = self.configure_hello(os.path.join(ARGS.work, "host-build"))
        self.assertNotEqual(result.returncode, 0, result.stdout)
        message = " ".join(result.stderr.split())  # CMake wraps long messages
        if platform.machine() not in ("aarch64", "arm64"):
            self.assertIn("keel's SDK builds AArch64 root tasks, but this project's toolchain "
                          f"targets '{platform.machine()}'", message)
        self.assertIn(f"Configure it with -DCMAKE_TOOLCHAIN_FILE={self.toolchain()}", message)
        self.assertNotIn("keel_add_root_task", message)  # it stopped at find_package


def main():
    global ARGS
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--keel-run", action="store_true")
    ARGS, rest = ap.parse_known_args()
    ARGS.build, ARGS.work = os.path.abspath(ARGS.build), os.path.abspath(ARGS.work)
    unittest.main(argv=sys.argv[:1] + rest, verbosity=2)


if __name__ == "__main__":
    main()
