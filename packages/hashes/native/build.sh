#!/bin/sh
# Builds the crypt(3) addon with node-gyp. Uses the running Node's own headers when they are
# installed next to it (Debian/NodeSource packages), so no download is needed (CI has no internet).
set -eu
cd "$(dirname "$0")/.."
prefix=$(dirname "$(dirname "$(command -v node)")")
if [ -f "$prefix/include/node/node_api.h" ]; then
  set -- --nodedir="$prefix" "$@"
fi
exec node_modules/.bin/node-gyp rebuild --directory native --loglevel=warn "$@"
