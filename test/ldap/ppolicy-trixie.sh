#!/usr/bin/env bash
# Runs INSIDE the Debian 13 root (test/support/trixie-root.sh run, the project read-only at
# /opt/pwguard): a throwaway slapd 2.6 with the ppolicy overlay loading the 2.6 build of
# pwguard_ppolicy.so (olcPPolicyCheckModule; policies turn it on with pwdUseCheckModule), on an
# ldapi socket only. Prints one block per case: `== CASE name rc=N`, then what the client printed.
# Used by test/ldap/ppolicy-trixie.test.ts, which asserts on the blocks.
set -euo pipefail
P=/opt/pwguard
MODULE=$P/packages/pam/ldap/build/slapd-2.6/pwguard_ppolicy.so
W=$(mktemp -d /tmp/ppolicy26.XXXXXX)
trap 'if [ -s "$W/slapd.pid" ]; then kill "$(cat "$W/slapd.pid")" 2>/dev/null; sleep 0.5; fi; rm -rf "$W"' EXIT
chmod 755 "$W"
SOCK="$W/ldapi"
URL="ldapi://$(printf '%s' "$SOCK" | sed 's|/|%2F|g')"
OLD='Old-Orchid-Lantern-77'
SUFFIX=dc=example,dc=org

printf 'min_length = 12\n' >"$W/pwguard.conf"
printf '#!/bin/sh\nexec /usr/bin/node %s/packages/pam/bin/pwguard-pam-hook config=%s\n' "$P" "$W/pwguard.conf" >"$W/judge"
# A reason longer than slapd 2.6's 256-byte message buffer: the module must hand slapd its own.
printf '#!/bin/sh\ncat >/dev/null\nfor i in 1 2 3; do printf "long reason %%s %%0100d\\n" $i 0; done\nexit 1\n' >"$W/long"
printf '#!/bin/sh\nsleep 300\n' >"$W/hangs"
chmod 755 "$W/judge" "$W/long" "$W/hangs"

cat >"$W/config.ldif" <<EOF
dn: cn=config
objectClass: olcGlobal
cn: config
olcPidFile: $W/slapd.pid

dn: cn=module{0},cn=config
objectClass: olcModuleList
cn: module{0}
olcModulePath: /usr/lib/ldap
olcModuleLoad: back_mdb
olcModuleLoad: ppolicy

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

include: file:///etc/ldap/schema/core.ldif
include: file:///etc/ldap/schema/cosine.ldif
include: file:///etc/ldap/schema/inetorgperson.ldif

dn: olcDatabase={1}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {1}mdb
olcDbDirectory: $W/db
olcSuffix: $SUFFIX
olcRootDN: cn=admin,$SUFFIX
olcAccess: {0}to attrs=userPassword by self =xw by anonymous auth by * none
olcAccess: {1}to * by * read

dn: olcOverlay=ppolicy,olcDatabase={1}mdb,cn=config
objectClass: olcOverlayConfig
objectClass: olcPPolicyConfig
olcOverlay: ppolicy
olcPPolicyDefault: cn=pwguard,$SUFFIX
olcPPolicyHashCleartext: TRUE
olcPPolicyCheckModule: $MODULE
EOF

policy() { # cn hook [timeout]
  printf 'dn: cn=%s,%s\nobjectClass: pwdPolicy\nobjectClass: pwdPolicyChecker\nobjectClass: device\ncn: %s\npwdAttribute: userPassword\npwdCheckQuality: 2\npwdUseCheckModule: TRUE\npwdCheckModuleArg: hook=%s timeout=%s\n\n' \
    "$1" "$SUFFIX" "$1" "$2" "${3:-30}"
}
user() { # uid cn [policy]
  printf 'dn: uid=%s,ou=people,%s\nobjectClass: inetOrgPerson\nuid: %s\ncn: %s\nsn: %s\nuserPassword: %s\n' \
    "$1" "$SUFFIX" "$1" "$2" "$1" "$(slappasswd -n -h '{SSHA}' -s "$OLD")"
  [ -n "${3:-}" ] && printf 'pwdPolicySubentry: cn=%s,%s\n' "$3" "$SUFFIX"
  printf '\n'
}
{
  printf 'dn: %s\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: pwguard test\n\n' "$SUFFIX"
  printf 'dn: ou=people,%s\nobjectClass: organizationalUnit\nou: people\n\n' "$SUFFIX"
  policy pwguard "$W/judge"
  policy long "$W/long"
  policy hangs "$W/hangs" 2
  user alice 'Alice Wonderbread'
  user bob bob long
  user erin erin hangs
} >"$W/data.ldif"

mkdir "$W/slapd.d" "$W/db"
slapadd -n0 -F "$W/slapd.d" -l "$W/config.ldif" >/dev/null
slapadd -n1 -F "$W/slapd.d" -l "$W/data.ldif" >/dev/null
slapd -F "$W/slapd.d" -h "$URL/"
for _ in $(seq 100); do ldapsearch -x -H "$URL" -b '' -s base >/dev/null 2>&1 && break; sleep 0.1; done
echo "== slapd $(slapd -VVV 2>&1 | grep -o 'slapd 2\.[0-9.]*' | head -1)"

pw() { (umask 077; printf '%s' "$2" >"$W/$1"); echo "$W/$1"; }
change() { # case uid new
  local rc=0 out
  out=$(ldappasswd -x -H "$URL" -D "uid=$2,ou=people,$SUFFIX" -y "$(pw bind "$OLD")" -t "$(pw old "$OLD")" -T "$(pw new "$3")" "uid=$2,ou=people,$SUFFIX" 2>&1) || rc=$?
  echo "== CASE $1 rc=$rc"
  echo "$out"
}
binds() { # case uid password
  local rc=0
  ldapwhoami -x -H "$URL" -D "uid=$2,ou=people,$SUFFIX" -y "$(pw bind "$3")" >/dev/null 2>&1 || rc=$?
  echo "== CASE $1 rc=$rc"
}
change weak alice password1
change name alice Wonderbread-Tulip-Quasar-91
binds old-still-binds alice "$OLD"
change long bob Tulip-Quasar-Mango-Zebra-91
change hangs erin Tulip-Quasar-Mango-Zebra-91
change strong alice Tulip-Quasar-Mango-Zebra-91
binds new-binds alice Tulip-Quasar-Mango-Zebra-91
