#!/usr/bin/env python3
"""Boot a keel image on QEMU virt and judge the run from the console.

Exit status 0 only if QEMU exits with 0 (PSCI SYSTEM_OFF), no line starts with "KERNEL PANIC",
the run ends before the timeout, with --uboot U-Boot loaded the whole image over TFTP and
started it, with --expect-summary the last summary line
"[name: ]N passed, M failed" has M == 0 and N > 0, and with --expect/--forbid the console does
(does not) match the regular expression.
"""
import argparse
import collections
import os
import re
import selectors
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

SUMMARY = re.compile(r"^(\w+: )?(\d+) passed, (\d+) failed")
PANIC = "KERNEL PANIC"
TAIL_LINES = 30


# The one place keel's QEMU machine is described: the build dumps its DTB through
# --dump-dtb, so the DTB packed into images always describes the machine the tests boot.
# keel needs no network device; -nic none also spares QEMU the NIC's option ROM. acpi=off keeps
# the machine the same when firmware boots it (--uboot): with ACPI and -bios, QEMU swaps the
# PL061 GPIO for an ACPI device and the DTB would differ from the one packed into images.
MACHINE = "virt,virtualization=on,secure=off,acpi=off"
BASE_ARGS = ["-cpu", "cortex-a53", "-m", "1G", "-nographic"]
MACHINE_ARGS = BASE_ARGS + ["-nic", "none"]

# --uboot: Debian's u-boot-qemu as the machine's firmware, the image served by QEMU's user-mode
# network (slirp) TFTP server, and the commands a user types at U-Boot's prompt on a board
# (docs/uboot.md). U-Boot's virtio-net driver finds the virtio-mmio NIC; the DTB does not change.
UBOOT_BIOS = "/usr/lib/u-boot/qemu_arm64/u-boot.bin"
UBOOT_FILE = "keel.bin"
UBOOT_COMMANDS = ["setenv autoload no", "dhcp", "tftpboot ${kernel_addr_r} " + UBOOT_FILE,
                  "booti ${kernel_addr_r} - ${fdtcontroladdr}"]
UBOOT_BANNER = re.compile(r"^U-Boot 20\d\d")
UBOOT_LOADED = re.compile(r"^Bytes transferred = (\d+)")
UBOOT_STARTED = "Starting kernel ..."


def qemu_command(args, tftp_dir=None):
    if tftp_dir is None:
        cmd = [args.qemu, "-machine", MACHINE] + MACHINE_ARGS + ["-kernel", args.image]
    else:
        cmd = [args.qemu, "-machine", MACHINE] + BASE_ARGS + [
            "-bios", args.uboot_bios, "-netdev", f"user,id=net0,tftp={tftp_dir}",
            "-device", "virtio-net-device,netdev=net0"]
    if args.icount:
        cmd += ["-icount", "shift=0"]
    if args.gdb:
        cmd += ["-s", "-S"]
    return cmd + args.qemu_args


def gdb_command(symbols):
    """The command line that attaches GDB with these symbol files: the first as the program,
    the others added at the addresses they were linked for (kernel, loader, root task)."""
    cmd = ["gdb-multiarch", "-q", shlex.quote(symbols[0]), "-ex", "'set confirm off'"]
    for path in symbols[1:]:
        cmd += ["-ex", shlex.quote(f"add-symbol-file {path}")]
    line = " ".join(cmd + ["-ex", "'target remote :1234'"])
    if not shutil.which("gdb-multiarch"):  # Debian's plain gdb has no AArch64
        line += "\n  (gdb-multiarch is not installed: sudo apt-get install gdb-multiarch)"
    return line


def stop(proc):
    if proc.poll() is None:
        proc.kill()
    proc.wait()


def show_tail(tail, why):
    print(f"\nrun_qemu.py: {why}; last {len(tail)} console lines:", file=sys.stderr)
    for line in tail:
        print(f"  | {line}", file=sys.stderr)


class Console:
    """Splits QEMU's output into lines, echoes it, remembers the tail and what matters."""

    def __init__(self):
        self.partial = b""
        self.received = 0  # bytes so far: tells one U-Boot prompt from the next
        self.tail = collections.deque(maxlen=TAIL_LINES)
        self.summary = None
        self.panic = False
        self.text = []  # every line, for --expect and --forbid

    def feed(self, data):
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        self.received += len(data)
        self.partial += data
        *lines, self.partial = self.partial.split(b"\n")
        for raw in lines:
            self.line(raw)

    def finish(self):
        if self.partial:
            self.line(self.partial)
            self.partial = b""

    def line(self, raw):
        text = raw.decode("utf-8", "replace").replace("\r", "")
        self.tail.append(text)
        self.text.append(text)
        if text.startswith(PANIC):
            self.panic = True
        m = SUMMARY.match(text)
        if m:
            self.summary = (int(m.group(2)), int(m.group(3)))


class UBootDriver:
    """Types at U-Boot's console as a user would: a key to stop autoboot, then each of
    UBOOT_COMMANDS at a fresh "=> " prompt. A prompt after booti means U-Boot did not start the
    image (it printed why): the run stops there rather than waiting for the timeout."""

    def __init__(self, proc):
        self.proc = proc
        self.stopped_autoboot = False
        self.sent = 0
        self.last_prompt = -1

    def type(self, text):
        try:
            os.write(self.proc.stdin.fileno(), text.encode())
        except OSError:
            pass  # QEMU is gone; pump() sees its console close

    def step(self, console):
        line = console.partial.replace(b"\r", b"")
        if not self.stopped_autoboot and b"Hit any key to stop autoboot" in line:
            self.stopped_autoboot = True
            self.type(" ")
        if line != b"=> " or console.received == self.last_prompt:
            return None
        self.last_prompt = console.received
        if self.sent == len(UBOOT_COMMANDS):
            return "U-Boot did not start the image: it is back at its prompt"
        self.type(UBOOT_COMMANDS[self.sent] + "\n")
        self.sent += 1
        return None


def uboot_failure(console, image):
    """Why the console does not show U-Boot loading all of `image` and starting it, or None."""
    if not any(UBOOT_BANNER.match(t) for t in console.text):
        return "U-Boot's banner never appeared"
    loaded = [int(m.group(1)) for m in map(UBOOT_LOADED.match, console.text) if m]
    size = os.path.getsize(image)
    if not loaded:
        return "U-Boot never loaded the image over TFTP"
    if loaded[-1] != size:
        return f"U-Boot loaded {loaded[-1]} bytes over TFTP; the image has {size}"
    if UBOOT_STARTED not in console.text:
        return "U-Boot never said 'Starting kernel ...'"
    after = [t for t in console.text[console.text.index(UBOOT_STARTED) + 1:] if t.strip()]
    if not after or not after[0].startswith("keel-loader: entered at EL2"):
        return "keel's loader did not start at EL2 right after U-Boot's 'Starting kernel ...'"
    return None


def pump(proc, console, args, driver=None):
    """Streams the console until QEMU closes it; returns a failure reason or None."""
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    deadline = None if args.timeout <= 0 else time.monotonic() + args.timeout
    try:
        while True:
            wait = None if deadline is None else deadline - time.monotonic()
            if wait is not None and wait <= 0:
                return "timeout"
            if not sel.select(wait):
                continue
            data = os.read(proc.stdout.fileno(), 65536)
            if not data:
                return None
            console.feed(data)
            if console.panic:
                return "kernel panic"
            failure = driver.step(console) if driver else None
            if failure:
                return failure
    finally:
        sel.close()


def image_error(path, uboot=False):
    """Why `path` cannot be a keel image (an AArch64 ELF; with --uboot a raw binary), or None.
    A raw binary's header is U-Boot's to judge, as on a board."""
    try:
        with open(path, "rb") as f:
            head = f.read(20)
    except OSError as e:
        return f"cannot read image '{path}': {e.strerror}"
    if uboot:
        if head[:4] == b"\x7fELF":
            return (f"image '{path}' is an ELF; U-Boot's booti takes the raw binary "
                    "(mkimage.py --format bin, ./keel image --format bin)")
        return None
    if len(head) < 20 or head[:4] != b"\x7fELF":
        return f"image '{path}' is not an ELF file"
    if head[4] != 2 or head[18:20] != (183).to_bytes(2, "little"):
        return f"image '{path}' is not a 64-bit AArch64 ELF"
    return None


def dump_dtb(args, out):
    cmd = [args.qemu, "-machine", f"{MACHINE},dumpdtb={out}"] + MACHINE_ARGS
    result = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if result.returncode != 0:
        print(f"run_qemu.py: dumping the DTB failed: {result.stderr.strip()}", file=sys.stderr)
    return result.returncode


def run(args):
    if not args.uboot:
        return boot(args, None)
    with tempfile.TemporaryDirectory(prefix="keel-tftp-") as tftp_dir:
        shutil.copyfile(args.image, os.path.join(tftp_dir, UBOOT_FILE))
        return boot(args, tftp_dir)


def boot(args, tftp_dir):
    cmd = qemu_command(args, tftp_dir)
    print("run_qemu.py: " + " ".join(cmd), file=sys.stderr)
    if args.gdb:
        print("run_qemu.py: QEMU waits for GDB on :1234; attach from another terminal with\n  "
              + gdb_command(args.symbols or [args.image]), file=sys.stderr)
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE if tftp_dir else subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    console = Console()
    try:
        failure = pump(proc, console, args, UBootDriver(proc) if tftp_dir else None)
        rc = proc.wait(timeout=10) if failure is None else None
    except KeyboardInterrupt:
        return 130
    finally:
        stop(proc)  # also on SIGTERM from ctest's own timeout: never leave QEMU behind
        console.finish()
    if failure == "timeout":
        print("\nTIMEOUT")
        show_tail(console.tail, f"no power-off within {args.timeout} s")
        return 1
    if failure is not None or console.panic:
        show_tail(console.tail, failure or "kernel panic")
        return 1
    if tftp_dir and uboot_failure(console, args.image):
        show_tail(console.tail, uboot_failure(console, args.image))
        return 1
    if rc != 0:
        show_tail(console.tail, f"QEMU exited with status {rc}")
        return 1
    output = "\n".join(console.text)
    if args.expect and not re.search(args.expect, output, re.S):
        show_tail(console.tail, f"the console never matched '{args.expect}'")
        return 1
    if args.forbid and re.search(args.forbid, output, re.S):
        show_tail(console.tail, f"the console matched '{args.forbid}'")
        return 1
    if args.expect_summary:
        if console.summary is None:
            show_tail(console.tail, "no 'N passed, M failed' summary line")
            return 1
        passed, failed = console.summary
        if not args.uboot:  # through U-Boot, an image's cases are those its plain boot counts
            record_summary(args.image, passed, failed)
        if failed != 0 or passed == 0:
            show_tail(console.tail, f"summary says {passed} passed, {failed} failed")
            return 1
    return 0


def record_summary(image, passed, failed):
    """Appends the case counts to $KEEL_SUMMARY_FILE, so ./keel test can count every system
    test case, not just one ctest entry per image."""
    path = os.environ.get("KEEL_SUMMARY_FILE")
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(f"{os.path.basename(image)} {passed} {failed}\n")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("image", nargs="?", help="bootable keel image (loader ELF; with --uboot the "
                                             "raw binary)")
    ap.add_argument("--dump-dtb", metavar="OUT",
                    help="write the machine's DTB to OUT instead of booting an image")
    ap.add_argument("--print-machine", action="store_true", help="print the -machine string")
    ap.add_argument("--timeout", type=float, default=None,
                    help="seconds before QEMU is killed (default 60; 0 = none; none with --gdb)")
    ap.add_argument("--expect-summary", action="store_true",
                    help="require a final 'N passed, 0 failed' line with N > 0")
    ap.add_argument("--expect", metavar="REGEX",
                    help="require the whole console output to match REGEX (re.S)")
    ap.add_argument("--forbid", metavar="REGEX", help="fail if the console output matches REGEX")
    ap.add_argument("--icount", action="store_true",
                    help="-icount shift=0: one instruction per ns, repeatable counts")
    ap.add_argument("--gdb", action="store_true", help="-s -S: wait for GDB on port 1234")
    ap.add_argument("--symbols", action="append", metavar="ELF",
                    help="with --gdb: symbol files for the GDB command line printed (repeatable; "
                         "default the image)")
    ap.add_argument("--uboot", action="store_true",
                    help="boot through U-Boot: it loads the image (a raw binary, mkimage.py "
                         "--format bin) over TFTP and starts it with booti")
    ap.add_argument("--uboot-bios", default=UBOOT_BIOS, metavar="BIN",
                    help=f"with --uboot: U-Boot for QEMU virt (default {UBOOT_BIOS})")
    ap.add_argument("--qemu", default="qemu-system-aarch64", help="QEMU binary")
    ap.epilog = "Arguments after -- go to QEMU as they are, after keel's own."
    argv = sys.argv[1:] if argv is None else list(argv)
    qemu_args = []
    if "--" in argv:
        at = argv.index("--")
        argv, qemu_args = argv[:at], argv[at + 1:]
    args = ap.parse_args(argv)
    args.qemu_args = qemu_args
    if args.timeout is None:
        args.timeout = 0 if args.gdb else 60
    if args.print_machine:
        print(MACHINE)
        return 0
    if args.dump_dtb:
        return dump_dtb(args, args.dump_dtb)
    if args.image is None:
        ap.error("an image is required")
    if not os.path.isfile(args.image):
        print(f"run_qemu.py: error: no image '{args.image}'", file=sys.stderr)
        return 1
    err = image_error(args.image, args.uboot)
    if args.uboot and not err and not os.path.isfile(args.uboot_bios):
        err = f"no U-Boot at '{args.uboot_bios}' (tools/bootstrap.sh installs u-boot-qemu)"
    if err:
        print(f"run_qemu.py: error: {err}", file=sys.stderr)
        return 1
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
