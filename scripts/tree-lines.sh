#!/usr/bin/env bash
# Folders of the app, up to four names deep (app/features/import/rules/), with their number of
# source files and lines: `bash scripts/tree-lines.sh [dir]`.
# Used to describe the layout in decision records and closing notes.
set -euo pipefail
root="${1:-.}"
cd "$root"
for d in $(find app db workflows -mindepth 0 -maxdepth 3 -type d | sort); do
  files=$(find "$d" -maxdepth 1 -type f \( -name '*.ts' -o -name '*.tsx' -o -name '*.css' \) | wc -l)
  [ "$files" -eq 0 ] && continue
  lines=$(find "$d" -maxdepth 1 -type f \( -name '*.ts' -o -name '*.tsx' -o -name '*.css' \) -print0 | xargs -0 cat | wc -l)
  printf '%-44s %4d files %7d lines\n' "$d/" "$files" "$lines"
done
