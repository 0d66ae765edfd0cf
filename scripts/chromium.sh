#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed (for the drift report's browser test) and prints its path.
#   bash scripts/chromium.sh     installs the `chromium` package if missing (needs root and apt), prints the path
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1; then
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
fi
command -v chromium
