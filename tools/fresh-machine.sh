#!/usr/bin/env bash
# Runs the README's two commands on a brand-new minimal Debian 12 inside a chroot, so that a
# missing install step cannot hide behind packages this machine happens to have.
#
#   tools/fresh-machine.sh [--keep] [--dir DIR]
#
# Builds a root filesystem with `debootstrap --variant=minbase bookworm` from the mirror this
# machine's apt uses, copies a clean clone of HEAD (committed work only, as CI sees it) and
# ../shared into it, then runs `./keel demo` and `./keel test` there, printing each command's
# result and time. Exits non-zero if either fails. Needs root; takes tens of minutes; not part
# of ./keel test. Logs stay in DIR; --keep leaves the root filesystem there too.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

keep=0
dir=/var/tmp/keel-fresh-machine
while [ $# -gt 0 ]; do
  case "$1" in
    --keep) keep=1 ;;
    --dir) dir=$2; shift ;;
    *) echo "usage: tools/fresh-machine.sh [--keep] [--dir DIR]" >&2; exit 2 ;;
  esac
  shift
done
[ "$(id -u)" -eq 0 ] || { echo "fresh-machine: needs root (debootstrap, chroot, mounts)" >&2; exit 2; }

# The Debian mirror this machine's own apt is configured with (deb822 or one-line format).
host_mirror() {
  local uri
  uri=$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  [ -n "$uri" ] || uri=$(awk '$1 == "deb" && $3 == "bookworm" {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
  [ -n "$uri" ] || { echo "fresh-machine: no Debian mirror found in /etc/apt" >&2; exit 1; }
  echo "$uri"
}

root=$dir/rootfs
mounted=()
cleanup() {
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[i]}" 2>/dev/null || true; done
  if [ "$keep" -eq 0 ]; then rm -rf "$root"; else echo "fresh-machine: root filesystem kept in $root"; fi
}
trap cleanup EXIT

command -v debootstrap >/dev/null || {
  echo "fresh-machine: installing debootstrap"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
}

rm -rf "$dir"
mkdir -p "$dir"
start=$SECONDS
echo "fresh-machine: debootstrap --variant=minbase bookworm into $root"
debootstrap --variant=minbase bookworm "$root" "$(host_mirror)" >"$dir/debootstrap.log" 2>&1 || {
  tail -n 20 "$dir/debootstrap.log" >&2
  exit 1
}
echo "fresh-machine: root filesystem ready in $((SECONDS - start)) s"

cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
for m in proc sys dev dev/pts; do
  mkdir -p "$root/$m"
  mount --bind "/$m" "$root/$m"
  mounted+=("$root/$m")
done

mkdir -p "$root/work"
git clone -q --no-hardlinks "$repo" "$root/work/keel"
[ -d "$repo/../shared" ] && cp -r "$repo/../shared" "$root/work/shared"

status=0
for cmd in "./keel demo" "./keel test"; do
  t0=$SECONDS
  log=$dir/$(echo "$cmd" | tr ' ./' '_').log
  echo "fresh-machine: running '$cmd' (log $log)"
  if chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
       LANG=C.UTF-8 TERM=dumb bash -c "cd /work/keel && $cmd" </dev/null >"$log" 2>&1; then
    result=passed
  else
    result=FAILED
    status=1
  fi
  echo "fresh-machine: '$cmd' $result in $((SECONDS - t0)) s; last lines:"
  tail -n 8 "$log" | sed 's/^/  | /'
done
echo "fresh-machine: $([ $status -eq 0 ] && echo passed || echo FAILED) in $((SECONDS - start)) s"
exit $status
