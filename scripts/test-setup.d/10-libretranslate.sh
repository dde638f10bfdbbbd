#!/usr/bin/env bash
# A real LibreTranslate server for tests/engines/test_libretranslate.py and benchmarks/bench_libretranslate.py,
# in its own virtualenv (.venv-lt, git-ignored): it pins its own Flask and Argos versions, which must not mix
# with handbill's. Test-only: `make demo` never runs this. Measured: ~72 s and ~590 MB the first time.
set -euo pipefail
cd "$(dirname "$0")/../.."
LT_VERSION=1.9.6
LT_VENV=${HANDBILL_LT_VENV:-.venv-lt}
PYTHON=${PYTHON:-python3}
if [ -x "$LT_VENV/bin/libretranslate" ] && [ "$(cat "$LT_VENV/.installed" 2>/dev/null)" = "$LT_VERSION" ]; then
    exit 0
fi
echo "test-tools: installing libretranslate $LT_VERSION into $LT_VENV (about a minute)" >&2
test -x "$LT_VENV/bin/python" || "$PYTHON" -m venv "$LT_VENV"
"$LT_VENV/bin/python" -m pip install -q --upgrade pip >/dev/null
"$LT_VENV/bin/python" -m pip install -q "libretranslate==$LT_VERSION"
"$LT_VENV/bin/libretranslate" --help >/dev/null
echo "$LT_VERSION" > "$LT_VENV/.installed"
