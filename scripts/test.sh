#!/usr/bin/env bash
# Installs what the tests need on a fresh machine, then runs every test.
#   - .venv: the Python that tests drive for real (MLflow server, scikit-learn, numpy),
#     pinned in requirements-test.txt and reinstalled when that file changes;
#   - Debian's Chromium for the browser tests of the report pages (Playwright drives it; no
#     browser download);
#   - Maven and every Java dependency come through ./mvnw.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# PostgreSQL (the prediction log's tests start their own cluster as the postgres user).
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  echo "test setup: installing PostgreSQL" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi

# Prometheus (the Istio and KServe backends' tests start their own, scraping a test exporter).
if ! command -v prometheus >/dev/null 2>&1; then
  echo "test setup: installing Prometheus" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus >/dev/null
fi

requirements_hash="$(sha256sum requirements-test.txt | cut -d' ' -f1)"
if [[ ! -x .venv/bin/python || "$(cat .venv/.requirements.sha256 2>/dev/null)" != "$requirements_hash" ]]; then
  echo "test setup: creating .venv from requirements-test.txt" >&2
  python3 -m venv .venv
  .venv/bin/pip install --quiet --upgrade pip
  .venv/bin/pip install --quiet -r requirements-test.txt
  echo "$requirements_hash" > .venv/.requirements.sha256
fi

if [[ ! -x /usr/bin/chromium ]]; then
  echo "test setup: installing Debian's chromium for the report browser tests" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
fi
# Playwright's Java driver must not fetch its own browsers: the tests use /usr/bin/chromium.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

./mvnw -B -ntp verify "$@"
