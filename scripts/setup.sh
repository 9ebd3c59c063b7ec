#!/usr/bin/env bash
# Installs what the tests need and nothing else: nginx (TLS tests against a
# real server), poppler-utils (PDF text extraction), sslscan (TLS cross-check),
# ripgrep (scan benchmark baseline), cmark-gfm and xmllint (the Markdown and
# JUnit reports checked by the programs that read them), postgresql (the fleet store's tests start
# their own server as an unprivileged user), chromium (the page probe's browser
# engine; tests drive it headless) and stripe-mock (the Stripe account API).
# Idempotent: it installs only what is missing.
set -euo pipefail

STRIPE_MOCK_VERSION=v0.203.0

need_apt=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need_apt+=(nginx-light)
command -v pdftotext >/dev/null 2>&1 || need_apt+=(poppler-utils)
command -v sslscan >/dev/null 2>&1 || need_apt+=(sslscan)
command -v rg >/dev/null 2>&1 || need_apt+=(ripgrep)
command -v bzip2 >/dev/null 2>&1 || need_apt+=(bzip2) # the scanner's formats corpus writes .bz2 with it
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need_apt+=(postgresql)
command -v cmark-gfm >/dev/null 2>&1 || need_apt+=(cmark-gfm)    # the Markdown report as GitHub renders it
command -v xmllint >/dev/null 2>&1 || need_apt+=(libxml2-utils) # JUnit against the Surefire XSD
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
[ -x /usr/bin/time ] || need_apt+=(time) # GNU time: the peak RSS of the hostile-input tests' children
# The PDF's font for Japanese, Chinese and Korean names (IPA Font License).
[ -f /usr/share/fonts/opentype/ipafont-gothic/ipagp.ttf ] || need_apt+=(fonts-ipafont-gothic)

if [ ${#need_apt[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${need_apt[*]}" >&2
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  # Debian starts nginx on port 80 on install; the tests start their own.
  $sudo systemctl stop nginx >/dev/null 2>&1 || $sudo service nginx stop >/dev/null 2>&1 || $sudo pkill -x nginx >/dev/null 2>&1 || true
  # Likewise Debian's own PostgreSQL cluster on 5432: unused.
  $sudo systemctl stop postgresql >/dev/null 2>&1 || $sudo service postgresql stop >/dev/null 2>&1 || true
fi

gobin="$(go env GOBIN)"
[ -n "$gobin" ] || gobin="$(go env GOPATH)/bin"
if ! command -v stripe-mock >/dev/null 2>&1 && [ ! -x "$gobin/stripe-mock" ]; then
  echo "setup: installing stripe-mock $STRIPE_MOCK_VERSION" >&2
  GOFLAGS= go install "github.com/stripe/stripe-mock@$STRIPE_MOCK_VERSION"
fi
if ! command -v actionlint >/dev/null 2>&1 && [ ! -x "$gobin/actionlint" ]; then
  echo "setup: installing actionlint" >&2 # checks action.yml through the example workflow
  GOFLAGS= go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.12
fi
echo "setup: ready" >&2
