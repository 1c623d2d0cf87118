# Shared set-up for scripts/test, scripts/demo and the benchmarks: install what is missing.
# Sourced, not run. Every function is idempotent and quiet when there is nothing to do.

PNPM_VERSION=12.4.2

# Debian packages, by purpose. `demo` is what a user needs to run pwguard; `test` adds the
# independent tools and real services the tests use (slapd, PAM, Chromium, hash tools).
DEBIAN_DEMO=(libcrypt-dev g++ make python3)
DEBIAN_TEST=(libcrypt-dev libpam0g-dev g++ make python3
  slapd ldap-utils slapd-contrib whois apache2-utils argon2 openssl
  pamtester debootstrap dpkg-dev lintian man-db john passwdqc chromium hyperfine valgrind passwd login strace postfix samba
  krb5-kdc krb5-admin-server krb5-user libkrb5-dev slurm-wlm munge)
DEBIAN_BENCH=(john hashcat ocl-icd-libopencl1 passwdqc hyperfine wrk time)

log_setup() { echo "[setup] $*" >&2; }

missing_debian_packages() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}

ensure_debian_packages() {
  local set=$1 pkgs=()
  case $set in
    demo) pkgs=("${DEBIAN_DEMO[@]}") ;;
    test) pkgs=("${DEBIAN_TEST[@]}") ;;
    bench) pkgs=("${DEBIAN_TEST[@]}" "${DEBIAN_BENCH[@]}") ;;
  esac
  local missing
  missing=$(missing_debian_packages "${pkgs[@]}")
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" != 0 ]; then
    log_setup "missing Debian packages: $(echo $missing); install them as root (apt-get install ...)"
    return 1
  fi
  log_setup "installing Debian packages: $(echo $missing)"
  # slapd's postinst would otherwise ask questions; the packaged slapd is never used by pwguard.
  export DEBIAN_FRONTEND=noninteractive
  # postfix: the tests run their own throwaway instance (test/support/postfix.ts); "No
  # configuration" keeps the packaged one unconfigured and stopped.
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  apt-get update -qq >&2
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >&2
}

ensure_pnpm() {
  if command -v pnpm >/dev/null 2>&1 && [ "$(pnpm --version 2>/dev/null)" = "$PNPM_VERSION" ]; then
    return 0
  fi
  log_setup "installing pnpm $PNPM_VERSION (corepack cannot verify signatures here)"
  npm install -g --silent "pnpm@$PNPM_VERSION" >&2
}

ensure_node_modules() {
  ensure_pnpm
  pnpm install --frozen-lockfile --reporter=silent >&2
}

build_all() {
  log_setup "building (tsc -b, native parts)"
  node_modules/.bin/tsc -b >&2
  pnpm -r --if-present --reporter=silent run build:native >&2
}
