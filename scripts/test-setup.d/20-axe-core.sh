#!/usr/bin/env bash
# axe-core (the accessibility engine the web tests inject into each page in Chromium), from npm into a
# test-only folder, .test-tools/node_modules/axe-core. npm comes from apt when missing. Quick when present.
set -euo pipefail
cd "$(dirname "$0")/../.."
DEST=.test-tools
VERSION=4.10.3
if [ -f "$DEST/node_modules/axe-core/axe.min.js" ] && grep -q "\"version\": \"$VERSION\"" "$DEST/node_modules/axe-core/package.json"; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "handbill: npm is missing and cannot be installed without root (apt-get install npm)" >&2; exit 1
  fi
  echo "handbill: installing npm (for axe-core, the web tests' accessibility checker)" >&2
  $SUDO apt-get install -y -q npm >/dev/null
fi
mkdir -p "$DEST"
echo "handbill: installing axe-core $VERSION into $DEST" >&2
npm install --silent --no-audit --no-fund --prefix "$DEST" "axe-core@$VERSION" >/dev/null
test -f "$DEST/node_modules/axe-core/axe.min.js"
