#!/usr/bin/env bash
# Regenerate the page previews shown in the README from the sample book's PDF.
# Usage: bash docs/previews.sh   (after `book build -f pdf`; needs poppler-utils)
# Each preview is the first page whose text contains its marker.
set -euo pipefail
cd "$(dirname "$0")/.."
pdf=build/book.pdf
text=$(pdftotext "$pdf" -)
preview() {  # name, marker
  local page
  page=$(awk -v m="$2" 'BEGIN{RS="\f"} index($0, m){print NR; exit}' <<<"$text")
  pdftoppm -r 50 -png -singlefile -f "$page" -l "$page" "$pdf" "docs/page-$1"
}
preview title "octavo sample editions"
preview contents "Contents"
preview chapter-opener "Between the summer of 1938"
preview figure-and-footnotes "Figure 3.1"
preview table "Table 3.1 Approximate"
preview appendix-code "import tomllib"
