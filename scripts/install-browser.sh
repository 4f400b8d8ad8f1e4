#!/usr/bin/env bash
# Install Debian's chromium for the browser tests (tests/test_web_browser.py), if it is missing.
# Idempotent: does nothing when /usr/bin/chromium is already there. Needs root (or sudo) for apt-get.
# Playwright drives this system browser; `playwright install` is never used (no browser downloads).
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "install-browser: /usr/bin/chromium is missing and we are not root; browser tests will skip." >&2
        exit 0
    fi
fi

echo "install-browser: installing Debian chromium for the browser tests" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core
