#!/usr/bin/env bash
# Copies, unchanged, the files of GraphQL Playground's prebuilt bundle that its page links (script,
# stylesheet, favicon) and its LICENSE from the npm tarball into src/http/playground/: the package itself
# is not installed, as its React 16 dependency tree is only needed to rebuild the bundle.
# Usage: bash scripts/vendor-playground.sh [version]   then check `git diff --stat src/http/playground`.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGE="@apollographql/graphql-playground-react@${1:-1.7.42}"
DEST="src/http/playground/graphql-playground-react"
FILES=(LICENSE build/static/js/middleware.js build/static/css/index.css build/favicon.png)

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# npm pack fetches the one tarball, checked against the registry's integrity, without dependencies
npm pack "$PACKAGE" --silent --pack-destination "$tmp" >/dev/null
tar -xzf "$tmp"/*.tgz -C "$tmp" "${FILES[@]/#/package/}"
rm -rf "$DEST"
for file in "${FILES[@]}"; do install -D -m 644 "$tmp/package/$file" "$DEST/$file"; done
echo "$PACKAGE -> $DEST"
