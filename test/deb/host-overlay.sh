#!/usr/bin/env bash
# host-overlay.sh DIR CMD [ARG...]: run CMD as root chrooted in a copy-on-write view of this host's
# root file system (overlayfs: lower /, upper DIR/upper), in a private mount namespace. Whatever CMD
# changes (dpkg's database, /etc/pam.d, /etc/shadow) lands in DIR/upper and never on the host; the
# next call with the same DIR sees it again. /proc, /dev and an empty /run and /tmp are mounted
# inside; the mounts vanish with CMD. Used by test/deb to install the .deb on the host's
# Linux-PAM and Node.js without touching the host.
set -euo pipefail
dir=${1:?usage: host-overlay.sh DIR CMD...}; shift
mkdir -p "$dir/upper" "$dir/work" "$dir/merged" "$dir/tmp"
exec unshare --mount --propagation private -- /bin/sh -c '
  d=$1; shift
  m=$d/merged
  mount -t overlay overlay -o "lowerdir=/,upperdir=$d/upper,workdir=$d/work" "$m" &&
    mount -t proc proc "$m/proc" && mount --rbind /dev "$m/dev" && mount -t tmpfs tmpfs "$m/run" &&
    mount --bind "$d/tmp" "$m/tmp" || exit 2
  exec chroot "$m" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"
' sh "$dir" "$@"
