# shellcheck shell=bash
# Chromium and PostgreSQL for the test suite, installed from the system's
# packages (Debian/Ubuntu apt) when missing.

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "Need root to run: $* (install it yourself, or install sudo)" >&2
    return 1
  fi
}

apt_install() {
  command -v apt-get >/dev/null 2>&1 || {
    echo "Cannot install $* automatically: no apt-get on this machine. Install it and run again." >&2
    return 1
  }
  log_step "Installing $* from the system's packages"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_chromium() {
  local chromium="${OWNOPS_CHROMIUM:-/usr/bin/chromium}"
  if [ ! -x "$chromium" ]; then
    apt_install chromium
  fi
  export OWNOPS_CHROMIUM="$chromium"
  "$chromium" --version
}

postgres_ready() {
  command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h 127.0.0.1 -p 5432
}

start_postgres_cluster() {
  local version
  version="$(ls /etc/postgresql 2>/dev/null | sort -n | tail -n 1)"
  [ -n "$version" ] || return 1
  log_step "Starting PostgreSQL $version"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do
    postgres_ready && return 0
    sleep 1
  done
  return 1
}

# Lets user postgres connect from 127.0.0.1 without a password (test machines only).
trust_local_connections() {
  local version hba
  version="$(ls /etc/postgresql | sort -n | tail -n 1)"
  hba="/etc/postgresql/$version/main/pg_hba.conf"
  log_step "Allowing trusted local connections in $hba"
  as_root sed -i -E 's/^(host\s+all\s+all\s+127\.0\.0\.1\/32\s+)\S+/\1trust/' "$hba"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main reload
}

ensure_postgres() {
  if ! postgres_ready && ! start_postgres_cluster; then
    apt_install postgresql
    start_postgres_cluster || {
      echo "PostgreSQL did not start on 127.0.0.1:5432" >&2
      return 1
    }
  fi
  if ! psql -h 127.0.0.1 -U postgres -tAc 'select 1' >/dev/null 2>&1; then
    trust_local_connections
  fi
  local major
  major="$(psql -h 127.0.0.1 -U postgres -tAc 'show server_version_num' | cut -c1-2)"
  # @backstage/backend-test-utils knows PostgreSQL 9 and 11 to 18.
  local id="$major"
  if [ "$major" -gt 18 ]; then
    echo "PostgreSQL $major is newer than TestDatabases knows; testing it as POSTGRES_18"
    id=18
  fi
  export "BACKSTAGE_TEST_DATABASE_POSTGRES${id}_CONNECTION_STRING=postgresql://postgres@127.0.0.1:5432"
  export BACKSTAGE_TEST_DISABLE_DOCKER=1
  # The store tests fail, instead of skipping PostgreSQL, when it is unreachable.
  export OWNOPS_REQUIRE_POSTGRES=1
  echo "PostgreSQL $major on 127.0.0.1:5432"
}
