#!/usr/bin/env bash
# Installs Debian's chromium for the dashboard's browser tests (test/viz/dashboard.test.ts) when it is not
# there: `apt-get install chromium`, as root or through sudo. No browser is ever downloaded from elsewhere.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
export DEBIAN_FRONTEND=noninteractive
as_root apt-get update -qq
as_root apt-get install -y -qq --no-install-recommends chromium
/usr/bin/chromium --version
