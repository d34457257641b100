#!/usr/bin/env bash
# The tools the browser, accessibility and API checks need, installed only when missing:
# Chromium from Debian (Playwright drives it; no browser is downloaded), and the Python
# packages pinned in Tests/e2e/requirements.txt and sso-requirements.txt (the OpenID Connect
# provider nanoidp), Tests/api/requirements.txt and scim-requirements.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
fi
python3 -c "import pytest, playwright, axe_playwright_python" 2>/dev/null || pip install -q -r Tests/e2e/requirements.txt
command -v schemathesis >/dev/null || pip install -q -r Tests/api/requirements.txt
command -v scim2 >/dev/null || pip install -q -r Tests/api/scim-requirements.txt
python3 -c "import nanoidp" 2>/dev/null || pip install -q -r Tests/e2e/sso-requirements.txt
