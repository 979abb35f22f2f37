#!/usr/bin/env bash
# Regenerate docs/diff-report.png, the `book diff` report shown in the README.
# Usage: bash docs/diff-report.sh   (needs git, chromium and octavo in .venv)
# Two commits of the sample book in a scratch repository, the second editing a
# sentence in chapters 2 and 3; `book diff HEAD~1 HEAD`; a screenshot of the report.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cp -r book.toml chapters styles "$scratch/"
cd "$scratch"
commit() { git -c user.name=octavo -c user.email=octavo@localhost commit -q "$@"; }
git init -q && git add -A && commit -m sample
sed -i 's/is still debated/remains a matter of lively debate among historians of both countries/' chapters/02-khasan.md
sed -i "s/Zhukov's reaction was swift, and it became famous./Zhukov answered at once, and the answer became famous./" chapters/03-khalkhin-gol.md
commit -am edits
"$repo/.venv/bin/book" diff HEAD~1 HEAD || true
chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$scratch/chromium" \
  --window-size=1200,1000 --screenshot="$scratch/shot.png" "file://$scratch/build/diff/index.html" 2>/dev/null
"$repo/.venv/bin/python" -c 'import sys; from PIL import Image
Image.open(sys.argv[1]).convert("RGB").quantize(64).save(sys.argv[2], optimize=True)' "$scratch/shot.png" "$repo/docs/diff-report.png"
