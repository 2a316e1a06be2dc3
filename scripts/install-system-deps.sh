#!/usr/bin/env bash
# Installs the Debian packages the test suite needs when they are missing:
#   - chromium: the browser Playwright and Vitest browser mode drive (WebGPU on SwiftShader);
#   - mesa-vulkan-drivers >= 25 from bookworm-backports: lavapipe, the Vulkan driver Dawn (npm `webgpu`) runs on in Node.
# Needs root (apt-get). Without root it prints the exact commands to run and exits 1.
set -euo pipefail

need_chromium=0; need_lavapipe=0
[ -x /usr/bin/chromium ] || need_chromium=1
[ -f /usr/share/vulkan/icd.d/lvp_icd.json ] && dpkg --compare-versions "$(dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null || echo 0)" ge 25 || need_lavapipe=1
[ $need_chromium -eq 0 ] && [ $need_lavapipe -eq 0 ] && exit 0

backports_list=/etc/apt/sources.list.d/bookworm-backports.sources
# Same mirror URI as the machine's existing Debian source, so it works wherever that one works.
debian_uri=$( (grep -rhE '^(URIs:|deb )' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null || true) \
  | grep -oE 'https?://[^ ]+/debian/?( |$)' | head -1 | tr -d ' ')
debian_uri=${debian_uri:-http://deb.debian.org/debian}

if [ "$(id -u)" -ne 0 ]; then
  echo "Missing system packages. Run as root:" >&2
  [ $need_lavapipe -eq 1 ] && echo "  printf 'Types: deb\nURIs: $debian_uri\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' > $backports_list" >&2
  echo "  apt-get update && apt-get install -y chromium && apt-get install -y -t bookworm-backports mesa-vulkan-drivers" >&2
  exit 1
fi

if [ $need_lavapipe -eq 1 ] && [ ! -f $backports_list ]; then
  printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$debian_uri" > $backports_list
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
[ $need_chromium -eq 1 ] && apt-get install -y -qq chromium
[ $need_lavapipe -eq 1 ] && apt-get install -y -qq -t bookworm-backports mesa-vulkan-drivers
exit 0
