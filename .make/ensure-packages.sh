#!/usr/bin/env bash
# Installs the Debian packages the tests use, when missing: Chromium for the
# browser tests and the PDFs, the Noto fonts for the PDFs, poppler-utils for
# the PDF tests. Usage: ensure-packages.sh COMMAND=PACKAGE ... where COMMAND
# is a command on the PATH or, starting with /, a file the package installs
# (a font, say).
set -euo pipefail

missing=()
for pair in "$@"; do
  cmd=${pair%%=*}
  pkg=${pair#*=}
  if [[ $cmd == /* ]]; then
    [ -e "$cmd" ] || missing+=("$pkg")
  else
    command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "Install these packages first: ${missing[*]}" >&2; exit 1; }
  sudo_cmd=(sudo)
fi
echo "Installing ${missing[*]} from Debian's packages."
"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
