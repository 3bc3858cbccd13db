#!/usr/bin/env python3
"""Compare two DTBs as device trees, ignoring the random seeds QEMU writes into /chosen.

The host tests parse platform/qemu-virt/testdata/qemu-virt.dtb as "the machine keel boots";
the qemu-virt build checks with this that the DTB it dumps (and packs into every image) still
describes that same machine.
"""
import difflib
import re
import subprocess
import sys

SEEDS = re.compile(r"^\s*(rng-seed|kaslr-seed) = ")


def source(path):
    result = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", path], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"compare_dtb.py: error: cannot decompile '{path}': {result.stderr.strip()}")
    return [line for line in result.stdout.splitlines() if not SEEDS.match(line)]


def main(argv):
    if len(argv) != 3:
        sys.exit("usage: compare_dtb.py EXPECTED.dtb ACTUAL.dtb")
    expected, actual = source(argv[1]), source(argv[2])
    if expected == actual:
        print(f"compare_dtb.py: '{argv[2]}' describes the same machine as '{argv[1]}'")
        return 0
    sys.stdout.writelines(line + "\n" for line in difflib.unified_diff(expected, actual, argv[1], argv[2],
                                                                       lineterm=""))
    print("compare_dtb.py: the DTBs differ: update the test data or the QEMU options together")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
