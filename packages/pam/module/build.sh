#!/bin/sh
# Builds pam_pwguard.so with the system C compiler against Linux-PAM's headers (Debian:
# libpam0g-dev). Output: build/pam_pwguard.so. Without the headers it says so and builds nothing,
# so `pnpm run build:native` works on machines that only use the pam_exec hook.
#   CC=clang sh build.sh      another compiler;  EXTRA_CFLAGS=-Werror sh build.sh  stricter
set -eu
cd "$(dirname "$0")"
CC=${CC:-cc}
if [ ! -f /usr/include/security/pam_modules.h ] || ! command -v "$CC" >/dev/null 2>&1; then
  echo "pam_pwguard.so not built: install gcc libpam0g-dev (Debian packages), then reinstall pwguard (pam_exec on Linux-PAM >= 1.6 needs no module)" >&2
  exit 0
fi
mkdir -p build
# -g: valgrind and gdb can name our frames; the default visibility is hidden so only
# pam_sm_chauthtok is exported.
# shellcheck disable=SC2086
"$CC" -std=gnu11 -D_GNU_SOURCE -fPIC -shared -fvisibility=hidden -Wall -Wextra -O2 -g \
  ${EXTRA_CFLAGS:-} -o build/pam_pwguard.so.tmp pam_pwguard.c options.c run.c lines.c -lpam -pthread
mv build/pam_pwguard.so.tmp build/pam_pwguard.so
