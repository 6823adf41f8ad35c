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
    apt_install chromium || {
      echo "The browser tests need Chromium at $chromium. Install it (apt-get install chromium), or point OWNOPS_CHROMIUM at a Chromium binary, and run again." >&2
      return 1
    }
  fi
  export OWNOPS_CHROMIUM="$chromium"
  "$chromium" --version
}

postgres_ready() {
  command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h 127.0.0.1 -p 5432
}

# The newest PostgreSQL cluster version in /etc/postgresql (Debian layout), if any.
newest_cluster_version() {
  local dir newest=""
  for dir in /etc/postgresql/*/main; do
    [ -d "$dir" ] || continue
    dir="${dir%/main}"
    dir="${dir##*/}"
    if [ -z "$newest" ] || [ "${dir%%.*}" -gt "${newest%%.*}" ]; then
      newest="$dir"
    fi
  done
  echo "$newest"
}

postgres_query() {
  psql -w -h 127.0.0.1 -p 5432 -U postgres -d postgres -tAc "$1"
}

start_postgres_cluster() {
  local version
  version="$(newest_cluster_version)"
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
  version="$(newest_cluster_version)"
  [ -n "$version" ] || {
    echo "PostgreSQL on 127.0.0.1:5432 refuses user postgres without a password, and it is not a cluster in /etc/postgresql this script can configure. Allow it (trust for 127.0.0.1 in pg_hba.conf) and run again." >&2
    return 1
  }
  hba="/etc/postgresql/$version/main/pg_hba.conf"
  log_step "Allowing trusted local connections in $hba"
  as_root sed -i -E 's/^(host\s+all\s+all\s+127\.0\.0\.1\/32\s+)\S+/\1trust/' "$hba"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main reload
  sleep 1
}

ensure_postgres() {
  if ! postgres_ready && ! start_postgres_cluster; then
    apt_install postgresql || {
      echo "The database tests need PostgreSQL on 127.0.0.1:5432 (user postgres, no password). Install and start it, and run again." >&2
      return 1
    }
    start_postgres_cluster || {
      echo "PostgreSQL did not start on 127.0.0.1:5432" >&2
      return 1
    }
  fi
  if ! postgres_query 'select 1' >/dev/null 2>&1; then
    trust_local_connections
    postgres_query 'select 1' >/dev/null || {
      echo "Cannot connect to PostgreSQL on 127.0.0.1:5432 as user postgres" >&2
      return 1
    }
  fi
  local major
  major="$(postgres_query "select current_setting('server_version_num')::int / 10000")"
  # TestDatabases in @backstage/backend-test-utils knows POSTGRES9 and 11 to 18
  # (dist/database/types.cjs.js); other majors run under the closest id.
  local id="$major"
  if [ "$major" -gt 18 ]; then
    id=18
  elif [ "$major" -lt 11 ] && [ "$major" -ne 9 ]; then
    id=11
  fi
  if [ "$id" != "$major" ]; then
    echo "PostgreSQL $major is not one TestDatabases knows; its tests run as POSTGRES$id"
  fi
  export "BACKSTAGE_TEST_DATABASE_POSTGRES${id}_CONNECTION_STRING=postgresql://postgres@127.0.0.1:5432"
  export BACKSTAGE_TEST_DISABLE_DOCKER=1
  # The store tests fail, instead of skipping PostgreSQL, when it is unreachable.
  export OWNOPS_REQUIRE_POSTGRES=1
  echo "PostgreSQL $major on 127.0.0.1:5432"
}
