#!/usr/bin/env bash
# Install the Debian/Ubuntu packages handbill needs. `runtime` (make demo): Apertium pairs, eSpeak NG,
# fonts, spelling dictionaries. `test` (make test): runtime plus what only the tests drive (LibreOffice,
# poppler, EPUBCheck, ffmpeg, Chromium, PostgreSQL), so an organizer who only wants flyers never gets them.
# Idempotent and quiet when everything is present; uses sudo when not root; never fails the build on a
# non-Debian system (handbill doctor then says what is missing).
set -euo pipefail
RUNTIME=(
  apertium apertium-eng-spa apertium-eng-cat apertium-fr-es apertium-es-pt
  # Chain-enabling pairs: English reaches Galician, Italian (and Catalan from Spanish) through Spanish.
  # Measured on Debian 12: 9.2 MB to download (2.2 + 1.9 + 5.1 MB), 27.5 MB installed.
  apertium-es-gl apertium-spa-ita apertium-spa-cat
  espeak-ng libespeak-ng1
  fonts-noto-core fonts-droid-fallback fonts-symbola
  hunspell-en-us hunspell-es hunspell-fr hunspell-pt-br hunspell-pt-pt hunspell-ca hunspell-gl hunspell-it
)
TEST=(
  poppler-utils epubcheck
  libreoffice-writer-nogui fonts-liberation2
  ffmpeg
  chromium chromium-driver  # the web app's browser tests
  postgresql                # the shared translation memory's tests (a server started by the fixture)
)
case "${1:-runtime}" in
  runtime) PACKAGES=("${RUNTIME[@]}") ;;
  test) PACKAGES=("${RUNTIME[@]}" "${TEST[@]}") ;;
  *) echo "usage: $0 [runtime|test]" >&2; exit 2 ;;
esac
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "handbill: not a Debian/Ubuntu system; please install: ${missing[*]}" >&2
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "handbill: run as root (or with sudo) to install: ${missing[*]}" >&2; exit 0; fi
fi
echo "handbill: installing system packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
