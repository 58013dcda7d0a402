#!/usr/bin/env bash
# Proves the demo needs nothing beyond the loopback: runs `npm run demo` in a network namespace where only `lo`
# exists (unshare -n). Skips (exit 0, with a notice) where unshare or the privilege for it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
export WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false
if ! command -v unshare >/dev/null || ! unshare -n true 2>/dev/null; then
  echo "check-loopback: unshare -n is not available here; skipped"
  exit 0
fi
exec unshare -n bash -c '
  if command -v ip >/dev/null; then ip link set lo up; fi
  echo "check-loopback: interfaces: $(ls /sys/class/net | tr "\n" " ")"
  npm run demo'
