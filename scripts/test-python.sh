#!/usr/bin/env bash
# The Python package (python/): builds the extension once in release mode,
# installs the wheel into a virtual environment and runs pytest (unit tests,
# hypothesis properties and every docstring example) and mypy's stubtest.
#
# Needs only python3 (>= 3.9, with venv and pip), cargo and the package
# registry; everything else is installed into the venv.
# Usage: bash scripts/test-python.sh
#   SLEDAI_PY_VENV  venv directory (default: target/python-venv)
#   PYTHON          interpreter that creates the venv (default: python3)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
venv="${SLEDAI_PY_VENV:-$root/target/python-venv}"
wheels="$root/target/python-wheels"

echo "== python: venv $venv"
if [ ! -x "$venv/bin/python" ]; then
    "${PYTHON:-python3}" -m venv "$venv"
fi
py="$venv/bin/python"
"$py" -m pip install --quiet --disable-pip-version-check --upgrade pip
"$py" -m pip install --quiet --disable-pip-version-check \
    "maturin>=1.9.4,<2" pytest hypothesis mypy numpy pandas polars pyarrow

echo "== python: build the wheel (release) and install it"
rm -rf "$wheels"
"$venv/bin/maturin" build --release --quiet -m python/Cargo.toml -i "$py" --out "$wheels"
"$py" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$wheels"/sledai-*.whl

echo "== python: pytest (tests and doctests)"
# Run from python/ so that `import sledai` is the installed wheel (python-src
# is not on sys.path); no cache files in the work tree.
status=0
(cd python && "$py" -m pytest -p no:cacheprovider -q tests) || status=$?
if [ "$status" -eq 5 ]; then
    echo "pytest collected no tests: failing" >&2
    exit 1
elif [ "$status" -ne 0 ]; then
    exit "$status"
fi

echo "== python: stubtest"
MYPY_CACHE_DIR="$root/target/mypy-cache" "$py" -m mypy.stubtest sledai
