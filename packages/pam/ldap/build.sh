#!/bin/sh
# Builds pwguard_ppolicy.so, the OpenLDAP ppolicy password-quality module (pwdCheckModule), with
# the system C compiler. It needs no slapd headers (see slapd-entry.h) and shares the hook runner
# with pam_pwguard.so (../module/run.c, lines.c, options.c). Output: build/pwguard_ppolicy.so.
# The check_password() signature changed in slapd 2.6.
#   CC=clang sh build.sh    EXTRA_CFLAGS=-Werror sh build.sh    SLAPD_API=2.6 sh build.sh
set -eu
cd "$(dirname "$0")"
CC=${CC:-cc}
if ! command -v "$CC" >/dev/null 2>&1; then
  echo "pwguard_ppolicy.so not built: needs a C compiler" >&2
  exit 0
fi
# Both signatures are built (build/slapd-2.5/, build/slapd-2.6/); build/pwguard_ppolicy.so is the
# one for the installed slapd (2.5 when there is none), or SLAPD_API's.
if [ -z "${SLAPD_API:-}" ]; then
  SLAPD_API=2.5
  if [ -x /usr/sbin/slapd ] && /usr/sbin/slapd -VVV 2>&1 | grep -q 'slapd 2\.[6-9]'; then SLAPD_API=2.6; fi
fi
case "$SLAPD_API" in
  2.5|2.6) ;;
  *) echo "SLAPD_API=$SLAPD_API: expected 2.5 or 2.6" >&2; exit 2 ;;
esac
for api in 2.5 2.6; do
  flag=
  [ "$api" = 2.6 ] && flag=-DPWG_SLAPD_2_6
  mkdir -p "build/slapd-$api"
  # Hidden by default: only check_password is exported into slapd's namespace.
  # shellcheck disable=SC2086
  "$CC" -std=gnu11 -D_GNU_SOURCE -fPIC -shared -fvisibility=hidden -Wall -Wextra -O2 -g $flag \
    ${EXTRA_CFLAGS:-} -o "build/slapd-$api/pwguard_ppolicy.so.tmp" pwguard_ppolicy.c \
    ../module/run.c ../module/lines.c ../module/options.c -pthread
  mv "build/slapd-$api/pwguard_ppolicy.so.tmp" "build/slapd-$api/pwguard_ppolicy.so"
done
cp "build/slapd-$SLAPD_API/pwguard_ppolicy.so" build/pwguard_ppolicy.so.tmp
mv build/pwguard_ppolicy.so.tmp build/pwguard_ppolicy.so
