#!/bin/sh
# Builds pwguard_pwqual.so, the MIT Kerberos password-quality plugin (kadm5 `pwqual` interface),
# with the system C compiler against MIT's headers (Debian: libkrb5-dev). It shares the hook
# runner and the option table with pam_pwguard.so (../module/run.c, lines.c, options.c).
# Without the headers it says so and builds nothing. Output: build/pwguard_pwqual.so.
#   CC=clang sh build.sh    EXTRA_CFLAGS=-Werror sh build.sh
set -eu
cd "$(dirname "$0")"
CC=${CC:-cc}
if [ ! -f /usr/include/krb5/pwqual_plugin.h ] || ! command -v "$CC" >/dev/null 2>&1; then
  echo "pwguard_pwqual.so not built: needs a C compiler and MIT Kerberos headers (libkrb5-dev)" >&2
  exit 0
fi
mkdir -p build
# Hidden by default: only pwqual_pwguard_initvt is exported into kadmind's namespace. The
# krb5/profile symbols come from the libkrb5 kadmind already has loaded.
# shellcheck disable=SC2086
"$CC" -std=gnu11 -D_GNU_SOURCE -fPIC -shared -fvisibility=hidden -Wall -Wextra -O2 -g \
  ${EXTRA_CFLAGS:-} -o build/pwguard_pwqual.so.tmp pwguard_pwqual.c \
  ../module/run.c ../module/lines.c ../module/options.c -lkrb5 -pthread
mv build/pwguard_pwqual.so.tmp build/pwguard_pwqual.so
