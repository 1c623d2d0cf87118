#!/usr/bin/env bash
# Runs INSIDE the Debian 13 root (test/support/trixie-root.sh run, the project read-only at
# /opt/pwguard): `pwguard ldap doctor` and `ldap install --apply` against a throwaway slapd 2.6
# started without the ppolicy overlay, on an ldapi socket only, with Debian's ACLs for root's
# EXTERNAL identity (manage on cn=config and on the data, so the policy entry goes in with EXTERNAL
# too). The slapd version comes from `slapd -VV` (no --slapd-api). Prints one block per step:
# `== CASE name rc=N`, then what was printed. Used by test/ldap/install-trixie.test.ts.
set -euo pipefail
P=/opt/pwguard
MODULE=$P/packages/pam/ldap/build/slapd-2.6/pwguard_ppolicy.so
PWGUARD="/usr/bin/node $P/packages/cli/dist/main.js"
W=$(mktemp -d /tmp/ldapinstall26.XXXXXX)
trap 'if [ -s "$W/slapd.pid" ]; then kill "$(cat "$W/slapd.pid")" 2>/dev/null; sleep 0.5; fi; rm -rf "$W"' EXIT
chmod 755 "$W"
SOCK="$W/ldapi"
URL="ldapi://$(printf '%s' "$SOCK" | sed 's|/|%2F|g')"
OLD='Old-Orchid-Lantern-77'
SUFFIX=dc=example,dc=org
ROOTPEER='gidNumber=0+uidNumber=0,cn=peercred,cn=external,cn=auth'

printf 'min_length = 12\n' >"$W/pwguard.conf"
printf '#!/bin/sh\nexec /usr/bin/node %s/packages/pam/bin/pwguard-pam-hook config=%s\n' "$P" "$W/pwguard.conf" >"$W/judge"
chmod 755 "$W/judge"

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

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

include: file:///etc/ldap/schema/core.ldif
include: file:///etc/ldap/schema/cosine.ldif
include: file:///etc/ldap/schema/inetorgperson.ldif

dn: olcDatabase={0}config,cn=config
objectClass: olcDatabaseConfig
olcDatabase: {0}config
olcAccess: {0}to * by dn.exact=$ROOTPEER manage by * break

dn: olcDatabase={1}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {1}mdb
olcDbDirectory: $W/db
olcSuffix: $SUFFIX
olcRootDN: cn=admin,$SUFFIX
olcAccess: {0}to * by dn.exact=$ROOTPEER manage by * break
olcAccess: {1}to attrs=userPassword by self =xw by anonymous auth by * none
olcAccess: {2}to * by * read
EOF
{
  printf 'dn: %s\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: pwguard test\n\n' "$SUFFIX"
  printf 'dn: ou=people,%s\nobjectClass: organizationalUnit\nou: people\n\n' "$SUFFIX"
  printf 'dn: uid=amy,ou=people,%s\nobjectClass: inetOrgPerson\nuid: amy\ncn: Amy Pond\nsn: Pond\nuserPassword: %s\n\n' "$SUFFIX" "$(slappasswd -n -h '{SSHA}' -s "$OLD")"
} >"$W/data.ldif"

mkdir "$W/slapd.d" "$W/db"
slapadd -n0 -F "$W/slapd.d" -l "$W/config.ldif" >/dev/null
slapadd -n1 -F "$W/slapd.d" -l "$W/data.ldif" >/dev/null
slapd -F "$W/slapd.d" -h "$URL/"
for _ in $(seq 100); do ldapsearch -x -H "$URL" -b '' -s base >/dev/null 2>&1 && break; sleep 0.1; done
echo "== slapd $(slapd -VVV 2>&1 | grep -o 'slapd 2\.[0-9.]*' | head -1)"

step() { # case command...
  local rc=0 out
  out=$("${@:2}" 2>&1) || rc=$?
  echo "== CASE $1 rc=$rc"
  echo "$out"
}
pw() { (umask 077; printf '%s' "$2" >"$W/$1"); echo "$W/$1"; }
change() { # case new
  step "$1" ldappasswd -x -H "$URL" -D "uid=amy,ou=people,$SUFFIX" -y "$(pw bind "$3")" -t "$(pw old "$3")" -T "$(pw new "$2")" "uid=amy,ou=people,$SUFFIX"
}
step doctor-before $PWGUARD ldap doctor -H "$URL"
step print $PWGUARD ldap install -H "$URL" --module "$MODULE" --hook "$W/judge" --timeout 30
step apply $PWGUARD ldap install -H "$URL" --module "$MODULE" --hook "$W/judge" --timeout 30 --apply
step doctor-after $PWGUARD ldap doctor -H "$URL" --format json
step again $PWGUARD ldap install -H "$URL" --module "$MODULE" --hook "$W/judge" --timeout 30
change weak password1 "$OLD"
step old-still-binds ldapwhoami -x -H "$URL" -D "uid=amy,ou=people,$SUFFIX" -y "$(pw bind "$OLD")"
change strong Tulip-Quasar-Mango-Zebra-91 "$OLD"
