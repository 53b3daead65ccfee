#!/usr/bin/env bash
# Fails when dist/ differs from a fresh build of src/: the runner executes dist/, so what is
# committed there must be exactly what the sources build to.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent bundle >/dev/null
if [ -n "$(git status --porcelain -- dist)" ]; then
  echo "dist/ does not match a fresh build of src/. Run 'npm run bundle' and commit dist/." >&2
  git status --porcelain -- dist >&2
  git diff --stat -- dist >&2
  exit 1
fi
echo "dist/ matches the sources."
