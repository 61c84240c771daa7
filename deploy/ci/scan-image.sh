#!/usr/bin/env bash
# Software bill of materials and vulnerability scan of a built image, with Trivy (the
# seeds' scanner). Writes OUT_DIR/sbom.cdx.json (CycloneDX) and OUT_DIR/vulnerabilities.txt
# (every HIGH and CRITICAL finding, for the record), and fails when the image has a
# CRITICAL vulnerability that is not accepted in deploy/ci/trivyignore (each entry with
# its reason and an expiry). Nothing is pushed before this passes.
#   usage: deploy/ci/scan-image.sh IMAGE [OUT_DIR]
set -euo pipefail
[ $# -ge 1 ] || { sed -n '2,7p' "$0" >&2; exit 2; }
image=$1 out=${2:-scan}
ignore="$(cd "$(dirname "$0")" && pwd)/trivyignore"
command -v trivy >/dev/null 2>&1 || { echo "trivy is not installed (https://trivy.dev)" >&2; exit 1; }
mkdir -p "$out"
trivy image --quiet --format cyclonedx --output "$out/sbom.cdx.json" "$image"
echo "SBOM: $out/sbom.cdx.json ($(grep -c '"bom-ref"' "$out/sbom.cdx.json") components)"
trivy image --quiet --scanners vuln --severity HIGH,CRITICAL --ignorefile "$ignore" \
  --format table --output "$out/vulnerabilities.txt" "$image"
cat "$out/vulnerabilities.txt"
trivy image --quiet --scanners vuln --severity CRITICAL --ignorefile "$ignore" \
  --exit-code 1 --format table "$image" >/dev/null \
  || { echo "CRITICAL vulnerabilities in $image: see above; the image is not pushed" >&2; exit 1; }
echo "no CRITICAL vulnerabilities in $image"
