#!/usr/bin/env bash
# Builds the Hugo documentation (../shared/data/hugodocs/markdown) into a
# static site with Debian's hugo, for measuring `quarry build --site` on
# real Hugo output (alias pages included). The docs' own theme is not in
# the data: the layouts of web/testdata/hugo are used, and each shortcode
# the pages call is replaced by a stub that renders its inner text.
#
#   tools/buildbench/hugosite.sh [DATA_DIR] [OUT_DIR]   (default ../shared/data, /tmp/quarry-hugosite)
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
data=${1:-$here/../shared/data}
out=${2:-/tmp/quarry-hugosite}
src=$data/hugodocs/markdown
[ -d "$src" ] || { echo "hugosite: $src missing" >&2; exit 1; }
command -v hugo >/dev/null || { echo "hugosite: hugo not installed (make web-deps)" >&2; exit 1; }
rm -rf "$out"
mkdir -p "$out/site/layouts/shortcodes"
cp -r "$src" "$out/site/content"
cp -r "$here/web/testdata/hugo/layouts/." "$out/site/layouts/"
# A shortcode closed somewhere ({{< /name >}}) renders its inner text;
# one never closed renders nothing (Hugo refuses .Inner in those).
closed=$(grep -rhoE '\{\{[<%] */[a-zA-Z0-9_-]+' "$src" | sed -E 's/\{\{[<%] *\///' | sort -u)
grep -rhoE '\{\{[<%] *[a-zA-Z0-9_-]+' "$src" | sed -E 's/\{\{[<%] *//' | sort -u | while read -r sc; do
  if grep -qx -- "$sc" <<<"$closed"; then
    printf '{{ .Inner }}\n' >"$out/site/layouts/shortcodes/$sc.html"
  else
    printf '\n' >"$out/site/layouts/shortcodes/$sc.html"
  fi
done
cat >"$out/site/hugo.toml" <<'TOML'
baseURL = "/"
languageCode = "en-us"
title = "Hugo docs"
disableKinds = ["sitemap", "robotsTXT"]
[markup.goldmark.renderer]
  unsafe = true
TOML
hugo --quiet -s "$out/site" -d "$out/public" >/dev/null
echo "$out/public: $(find "$out/public" -name '*.html' | wc -l) pages"
