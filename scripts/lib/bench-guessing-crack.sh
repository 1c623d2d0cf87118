#!/usr/bin/env bash
# The cracking half of scripts/bench-guessing: the corpus made by bench-guessing.mjs (DIR/corpus.txt,
# base list DIR/base.txt), hashed with openssl passwd (md5crypt) for accounts u0001..., audited
# side by side with the same wall time and cores: John 1.9.0 (--single, then --wordlist=base.txt
# --rules, --fork=JOBS) and pwguard audit (--budget, --jobs JOBS). Prints found counts.
#   scripts/lib/bench-guessing-crack.sh DIR [seconds=120] [jobs=2] [scheme=md5crypt|sha512crypt] [every=1]
# every=K keeps every K-th corpus password (fewer accounts: more guesses each in the same time).
set -euo pipefail
dir=$1; secs=${2:-120}; jobs=${3:-2}; scheme=${4:-md5crypt}; every=${5:-1}
work=$(mktemp -d /tmp/pwguard-bench-crack-XXXXXX)
awk -v k="$every" 'NR % k == 0' "$dir/corpus.txt" > "$work/corpus.txt"
flag=-1; [ "$scheme" = sha512crypt ] && flag=-6
i=0
paste -d: <(awk '{printf "u%04d\n", NR}' "$work/corpus.txt") <(openssl passwd $flag -stdin < "$work/corpus.txt") \
  | awk -F: '{print $1":"$2":20000:0:99999:7:::"}' > "$work/shadow"
n=$(wc -l < "$work/shadow")
echo "$n accounts, $scheme, $secs s each, $jobs jobs"
# John 1.9.0 core has no --pot or --config: it keeps its pot in ~/.john, so a private directory is
# bind-mounted there in a private mount namespace (the system's stays untouched). timeout caps it.
mkdir -p "$work/dotjohn"
john_() { local t=$1; shift; unshare -m sh -c "mount --bind '$work/dotjohn' /root/.john && cd '$work' && timeout $t john $*" > /dev/null 2>&1 || true; }
john_show() { unshare -m sh -c "mount --bind '$work/dotjohn' /root/.john && john --show '$work/shadow'" 2>/dev/null | tail -1; }
start=$(date +%s)
john_ "$secs" --single --fork="$jobs" "$work/shadow"
used=$(( $(date +%s) - start )); left=$(( secs - used ))
single=$(john_show)
[ "$left" -gt 0 ] && john_ "$left" --wordlist="$dir/base.txt" --rules --fork="$jobs" "$work/shadow"
echo "john: after --single (${used} s): $single; after --wordlist --rules (total ${secs} s): $(john_show)"
node packages/cli/dist/main.js audit --shadow "$work/shadow" --budget "${secs}s" --max-guesses 1000000 --jobs "$jobs" --no-judge --no-progress --format json -o "$work/report.json" || true
node -e 'const r=require(process.argv[1]); const f=r.accounts.filter(a=>a.found).length; console.log(`pwguard audit: ${f} found in ${r.summary.seconds} s, ${r.summary.guessesTried} guesses`)' "$work/report.json"
