#!/bin/sh
# Refresh the vendored graph libraries from the npm registry (run from this folder):
#   sh refresh.sh            the versions in VERSIONS
#   sh refresh.sh 4.0.4 0.26.0   other versions of sigma and graphology
# Each package is fetched with `npm pack`, its browser build (UMD, minified) and licence
# are copied here, and VERSIONS records the version and the file's SHA-256, which a test
# holds the files to. Nothing is fetched at run time: the report inlines these files.
set -eu
cd "$(dirname "$0")"
SIGMA=${1:-$(sed -n 's/^sigma \([^ ]*\) .*/\1/p' VERSIONS)}
GRAPHOLOGY=${2:-$(sed -n 's/^graphology \([^ ]*\) .*/\1/p' VERSIONS)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
( cd "$work" && npm pack --silent "sigma@$SIGMA" "graphology@$GRAPHOLOGY" >/dev/null )
tar xzf "$work/sigma-$SIGMA.tgz" -C "$work" package/dist/sigma.min.js package/LICENSE.txt
cp "$work/package/dist/sigma.min.js" sigma.min.js
cp "$work/package/LICENSE.txt" LICENSE-sigma.txt
rm -rf "$work/package"
tar xzf "$work/graphology-$GRAPHOLOGY.tgz" -C "$work" \
    package/dist/graphology.umd.min.js package/LICENSE.txt
cp "$work/package/dist/graphology.umd.min.js" graphology.umd.min.js
cp "$work/package/LICENSE.txt" LICENSE-graphology.txt
{
    echo "sigma $SIGMA $(sha256sum sigma.min.js | cut -d' ' -f1)"
    echo "graphology $GRAPHOLOGY $(sha256sum graphology.umd.min.js | cut -d' ' -f1)"
} > VERSIONS
cat VERSIONS
