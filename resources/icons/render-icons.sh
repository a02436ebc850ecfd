#!/bin/sh
# Renders the PNG sizes of the app icon from the SVG (librsvg2-bin). The PNGs are committed, so
# building needs no SVG renderer; run this again after changing the SVG.
set -eu
cd "$(dirname "$0")"
for size in 16 32 48 64 128 256 512; do
    rsvg-convert -w "$size" -h "$size" klaviyo-rbac-console.svg -o "klaviyo-rbac-console-$size.png"
done
