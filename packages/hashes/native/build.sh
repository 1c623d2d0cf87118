#!/bin/sh
# Builds the crypt(3) addon with node-gyp against the running Node's own headers (no download:
# CI has no internet). The work is in install.mjs, which is also npm's install script.
set -eu
exec node "$(dirname "$0")/install.mjs" --strict "$@"
