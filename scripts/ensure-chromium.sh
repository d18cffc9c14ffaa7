#!/usr/bin/env bash
# Browser tests need Debian's Chromium (Playwright cannot download browsers here).
# As root (CI) it is installed; elsewhere the tests say loudly that they are skipped.
set -euo pipefail
CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installerar Chromium för webbläsartesterna (apt-get install --no-install-recommends chromium)..."
  apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
  exit 0
fi
if [ "${CI:-}" = "true" ]; then
  echo "FEL: Chromium saknas ($CHROMIUM) och kan inte installeras; CI får aldrig hoppa över webbläsartesterna." >&2
  exit 1
fi
echo "##############################################################################" >&2
echo "# VARNING: Chromium saknas ($CHROMIUM). Webbläsartesterna HOPPAS ÖVER.          #" >&2
echo "# Installera: sudo apt-get install --no-install-recommends chromium             #" >&2
echo "##############################################################################" >&2
