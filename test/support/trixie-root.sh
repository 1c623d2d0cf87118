#!/usr/bin/env bash
# trixie-root.sh: a Debian 13 (trixie) root for real-PAM tests (Linux-PAM 1.7, Node.js 20), built
# once with debootstrap and cached, keyed by release, mirror and package list, so reruns are fast.
# Works from scratch with only the Debian mirror reachable. Run as root.
#
#   trixie-root.sh path              build if needed; print the root's path
#   trixie-root.sh run CMD [ARG...]  run CMD chrooted in a private mount namespace with /proc, /dev
#                                    and the project (read-only at /opt/pwguard); mounts vanish with it
#   trixie-root.sh clone DIR         copy the cached root to DIR (a scratch root a test may change)
#
# Env: PWGUARD_TEST_CACHE (default /var/cache/pwguard-test), PWGUARD_DEBIAN_MIRROR,
#      PWGUARD_TRIXIE_EXTRA (more packages, comma separated), PWGUARD_PROJECT (default: this checkout).
# Other users: the C module tests (issue 8) can use `run` on a clone with their own files copied in.
set -euo pipefail

CACHE=${PWGUARD_TEST_CACHE:-/var/cache/pwguard-test}
MIRROR=${PWGUARD_DEBIAN_MIRROR:-http://deb.debian.org/debian}
# pamtester/passwd/login: the real front ends; libpam-runtime: pam-auth-update; bsdutils: logger.
PACKAGES=nodejs,pamtester,passwd,login,libpam-modules,libpam-runtime,bsdutils,procps${PWGUARD_TRIXIE_EXTRA:+,$PWGUARD_TRIXIE_EXTRA}
PROJECT=${PWGUARD_PROJECT:-$(cd "$(dirname "$0")/../.." && pwd)}
KEY=$(printf '%s|%s|%s' trixie "$MIRROR" "$PACKAGES" | sha256sum | cut -c1-12)
ROOT=$CACHE/trixie-$KEY

build() {
  [ -e "$ROOT/.pwguard-ready" ] && return 0
  mkdir -p "$CACHE"
  exec 9>"$CACHE/.lock-$KEY"
  flock 9 # another test may be building the same root: wait for it
  [ -e "$ROOT/.pwguard-ready" ] && return 0
  command -v debootstrap >/dev/null || { echo "trixie-root: debootstrap is not installed" >&2; exit 2; }
  local tmp=$ROOT.tmp.$$
  rm -rf "$tmp"
  echo "trixie-root: debootstrap trixie into $ROOT (once; about a minute)" >&2
  if ! debootstrap --variant=minbase --include="$PACKAGES" trixie "$tmp" "$MIRROR" >"$CACHE/debootstrap-$KEY.log" 2>&1; then
    echo "trixie-root: debootstrap failed, see $CACHE/debootstrap-$KEY.log" >&2
    tail -5 "$CACHE/debootstrap-$KEY.log" >&2
    rm -rf "$tmp"
    exit 2
  fi
  mkdir -p "$tmp/opt/pwguard"
  printf '%s\n' "$PACKAGES" >"$tmp/.pwguard-ready"
  rm -rf "$ROOT"
  mv "$tmp" "$ROOT"
}

run_in() {
  local root=$1; shift
  mkdir -p "$root/opt/pwguard"
  # A private mount namespace: the mounts end with the command, nothing is left behind.
  unshare --mount --propagation private -- /bin/sh -c '
    r=$1; p=$2; shift 2
    mount -t proc proc "$r/proc" && mount --rbind /dev "$r/dev" && mount --bind "$p" "$r/opt/pwguard" &&
      mount -o remount,bind,ro "$r/opt/pwguard" || exit 2
    exec chroot "$r" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"
  ' sh "$root" "$PROJECT" "$@"
}

case ${1:-path} in
  path) build; echo "$ROOT" ;;
  run) shift; build; run_in "$ROOT" "$@" ;;
  clone)
    build
    dir=${2:?usage: trixie-root.sh clone DIR}
    rm -rf "$dir"; mkdir -p "$(dirname "$dir")"
    cp -a "$ROOT" "$dir"
    echo "$dir" ;;
  run-in) shift; dir=${1:?usage: trixie-root.sh run-in DIR CMD...}; shift; run_in "$dir" "$@" ;;
  *) echo "usage: trixie-root.sh path | run CMD... | clone DIR | run-in DIR CMD..." >&2; exit 2 ;;
esac
