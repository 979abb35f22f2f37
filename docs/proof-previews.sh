#!/usr/bin/env bash
# Regenerate docs/proof-pdf.png and docs/proof-html.png: the proof edition of the
# sample book with a few editors' marks added to a temporary copy of chapter 2
# (the real chapters carry none). Needs poppler-utils and chromium.
# Usage: bash docs/proof-previews.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r book.toml chapters styles "$work/"
python3 - "$work/chapters/02-khasan.md" <<'PY'
import sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
for old, new in [
    ("a shallow sheet", "a {~~shallow~>shallow, reed-fringed~~} sheet"),
    ("at the very bottom corner of the Soviet Far East.",
     "at the {--very --}bottom corner of the Soviet Far East.{>>Check: is 'bottom corner' too informal? — ed.<<}"),
    ("Three countries, or two empires and a puppet,",
     "{==Three countries, or two empires and a puppet,==}{>>Lovely line; keep it.<<}"),
    ("Whoever held the crests", "{++Both armies knew it. ++}Whoever held the crests"),
]:
    assert old in text, old
    text = text.replace(old, new, 1)
open(path, "w", encoding="utf-8").write(text)
PY
SOURCE_DATE_EPOCH=1764028800 book build "$work" --proof -f pdf -f html -q
text=$(pdftotext "$work/build/proof/book.pdf" -)
page=$(awk 'BEGIN{RS="\f"} index($0, "Both armies knew it"){print NR; exit}' <<<"$text")
pdftoppm -r 70 -png -singlefile -f "$page" -l "$page" "$work/build/proof/book.pdf" docs/proof-pdf
chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$work/chromium" \
  --screenshot=docs/proof-html.png --window-size=1000,700 "file://$work/build/proof/html/ch02-khasan.html"
