#!/usr/bin/env bash
# Gradescope autograder setup (runs once, as root, when the autograder image is built; Ubuntu).
# Installs Node.js @NODE_VERSION@ from nodejs.org (checksum-verified) unless a Node >= 20 is present,
# then the course's npm dependencies from the lock file, and builds lib/. No Python, no Docker.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
NODE_VERSION="@NODE_VERSION@"

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(node_major)" -lt 20 ]; then
  apt-get update -qq
  apt-get install -y -qq ca-certificates curl xz-utils >/dev/null
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64) arch=arm64 ;;
    *) echo "setup.sh: unsupported architecture $(uname -m)" >&2; exit 1 ;;
  esac
  tarball="node-v${NODE_VERSION}-linux-${arch}.tar.xz"
  cd /tmp
  curl -fsSLO "https://nodejs.org/dist/v${NODE_VERSION}/${tarball}"
  curl -fsSLO "https://nodejs.org/dist/v${NODE_VERSION}/SHASUMS256.txt"
  grep " ${tarball}\$" SHASUMS256.txt | sha256sum -c -
  tar -xJf "${tarball}" -C /usr/local --strip-components=1
  rm -f "${tarball}" SHASUMS256.txt
fi
node --version
npm --version

cd /autograder/source
npm ci --no-audit --no-fund
npm run build
chmod +x /autograder/source/run_autograder 2>/dev/null || true

# Warm-up: grade the released notebook once, so that caches (compiled TypeScript, minified
# plotly.js) exist before the first student's submission.
npx --no-install tsx scripts/grade.ts release/notebooks/@LESSON@.ipynb --lesson @LESSON@ --out /tmp/gradescope-warmup @GRADE_FLAGS@ -q || true
rm -rf /tmp/gradescope-warmup
