#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432 and that the
# database named in DATABASE_URL exists. On a machine without one it
# installs Debian's package (as root, or with sudo) and starts it.
set -euo pipefail

host=127.0.0.1
port=5432
db_url=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/coproduce?sslmode=disable}
db_name=$(sed -E 's#^[^/]*//[^/]*/([^?]+).*#\1#' <<<"$db_url")

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo_cmd=(sudo); else sudo_cmd=(); fi
fi

ready() { pg_isready -q -h "$host" -p "$port" 2>/dev/null; }

start_cluster() {
  local ver
  ver=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$ver" ] || return 1
  "${sudo_cmd[@]}" pg_ctlcluster --skip-systemctl-redirect "$ver" main start 2>/dev/null || true
}

if ! command -v pg_isready >/dev/null 2>&1 || ! ready; then
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    echo "No PostgreSQL server found: installing Debian's postgresql package."
    if [ "$(id -u)" -ne 0 ] && [ ${#sudo_cmd[@]} -eq 0 ]; then
      echo "Cannot install PostgreSQL: run as root or install sudo, or start a server on $host:$port." >&2
      exit 1
    fi
    "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    # A development server: trust connections from this machine only.
    for hba in /etc/postgresql/*/main/pg_hba.conf; do
      "${sudo_cmd[@]}" sed -i -E 's/^(host\s+all\s+all\s+(127\.0\.0\.1\/32|::1\/128)\s+)\S+/\1trust/' "$hba"
    done
  fi
  start_cluster || true
  for _ in $(seq 1 30); do ready && break; sleep 1; done
  if ! ready; then
    echo "PostgreSQL did not start on $host:$port." >&2
    exit 1
  fi
fi

if ! psql -h "$host" -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db_name'" postgres | grep -q 1; then
  createdb -h "$host" -p "$port" -U postgres "$db_name"
  echo "Created database $db_name."
fi
