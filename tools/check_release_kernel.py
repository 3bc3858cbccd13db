#!/usr/bin/env python3
"""Checks that a release kernel image has no debug syscalls, kernel messages or invariant checks.

Each marker is a string the debug kernel image holds (a message, or a function's name in the
symbol table); the release image must hold none of them. The debug image is checked too, so a
marker that no longer exists anywhere (a renamed message) fails instead of passing vacuously.
"""
import argparse
import sys

MARKERS = {
    "debug syscall code": [b"handle_debug_syscall", b"debug_name_thread", b"debug_dump_scheduler"],
    "debug syscall messages": [b"debug halt syscall from user thread", b"DebugNameThread: cap is not a TCB",
                               b"Dumping all tcbs"],
    "kernel messages": [b"keel: root task: ", b"no fault handler, thread stopped", b"undelivered: no notification",
                        b"keel: halted"],
    "invariant checks": [b"check_invariants", b"check_scheduler_invariants", b"check_ipc_invariants_of"],
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--debug", required=True, help="the debug kernel ELF")
    ap.add_argument("--release", required=True, help="the release kernel ELF")
    args = ap.parse_args()
    try:
        with open(args.debug, "rb") as f:
            debug = f.read()
        with open(args.release, "rb") as f:
            release = f.read()
    except OSError as e:
        print(f"check_release_kernel: {e.filename}: {e.strerror}", file=sys.stderr)
        return 2
    bad = 0
    for what, markers in MARKERS.items():
        for m in markers:
            if m not in debug:
                print(f"FAIL: the debug kernel lacks {m.decode()!r} ({what}): update this check")
                bad += 1
            if m in release:
                print(f"FAIL: the release kernel holds {m.decode()!r} ({what})")
                bad += 1
    total = sum(len(m) for m in MARKERS.values())
    print(f"{total} markers: {'all in the debug kernel, none in the release kernel' if bad == 0 else f'{bad} problems'}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
