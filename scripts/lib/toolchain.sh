# shellcheck shell=bash
# Prepares the toolchain every Ownops command needs, on a machine that has
# only Node.js (any version) and npm:
#   - Node.js 22 from the npm registry's node-<os>-<arch> package, into
#     .cache/toolchain, when the machine's Node is older than 22;
#   - Yarn from the release committed in .yarn/releases (no global Yarn);
#   - the dependencies, installed again only when a manifest changed.
# Source it from the repository root.

OWNOPS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OWNOPS_CACHE="$OWNOPS_ROOT/.cache/toolchain"
OWNOPS_NODE_MAJOR=22

log_step() {
  if [ -t 1 ]; then
    printf '\033[1m==> %s\033[0m\n' "$*"
  else
    printf '==> %s\n' "$*"
  fi
}

node_major() {
  command -v node >/dev/null 2>&1 || { echo 0; return; }
  node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0
}

node_package_name() {
  local os arch
  case "$(uname -s)" in
    Linux) os=linux ;;
    Darwin) os=darwin ;;
    *) echo "Unsupported OS $(uname -s): install Node.js 22 or 24 yourself" >&2; return 1 ;;
  esac
  case "$(uname -m)" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "Unsupported CPU $(uname -m): install Node.js 22 or 24 yourself" >&2; return 1 ;;
  esac
  echo "node-$os-$arch"
}

# node-gyp builds native addons (better-sqlite3) against the headers of the
# running Node.js; point it at them when they are installed next to it, so it
# needs no download.
use_local_node_headers() {
  local prefix
  prefix="$(cd "$(dirname "$(command -v node)")/.." && pwd)"
  if [ -z "${npm_config_nodedir:-}" ] && [ -f "$prefix/include/node/node.h" ]; then
    export npm_config_nodedir="$prefix"
  fi
}

ensure_node() {
  local major
  major="$(node_major)"
  if [ "$major" -ge 22 ] && [ "$major" -ne 23 ]; then
    use_local_node_headers
    return
  fi
  command -v npm >/dev/null 2>&1 || {
    echo "Ownops needs Node.js 22 or 24, or npm to fetch it; found neither." >&2
    return 1
  }
  local package dir
  package="$(node_package_name)"
  dir="$OWNOPS_CACHE/node$OWNOPS_NODE_MAJOR/node_modules/$package"
  if [ ! -x "$dir/bin/node" ] || [ ! -f "$dir/include/node/node.h" ]; then
    log_step "Node.js $(node -v 2>/dev/null || echo '(none)') is older than $OWNOPS_NODE_MAJOR: installing $package@$OWNOPS_NODE_MAJOR from the npm registry into .cache/toolchain"
    mkdir -p "$OWNOPS_CACHE/node$OWNOPS_NODE_MAJOR"
    npm install --prefix "$OWNOPS_CACHE/node$OWNOPS_NODE_MAJOR" --no-save --no-audit --no-fund \
      --no-package-lock "$package@$OWNOPS_NODE_MAJOR" >/dev/null
  fi
  export PATH="$dir/bin:$PATH"
  # Native addons (better-sqlite3) build from source against these headers.
  export npm_config_nodedir="$dir"
}

ensure_yarn() {
  local release
  release="$OWNOPS_ROOT/$(sed -n 's/^yarnPath: *//p' "$OWNOPS_ROOT/.yarnrc.yml")"
  [ -f "$release" ] || {
    echo "The Yarn release named by yarnPath in .yarnrc.yml is missing: $release" >&2
    return 1
  }
  mkdir -p "$OWNOPS_CACHE/bin"
  cat >"$OWNOPS_CACHE/bin/yarn" <<SHIM
#!/usr/bin/env sh
exec node "$release" "\$@"
SHIM
  chmod +x "$OWNOPS_CACHE/bin/yarn"
  export PATH="$OWNOPS_CACHE/bin:$PATH"
}

manifest_digest() {
  (
    cd "$OWNOPS_ROOT" || exit 1
    {
      node -v
      cat yarn.lock package.json .yarnrc.yml
      cat packages/*/package.json plugins/*/package.json
    } | sha256sum | cut -d' ' -f1
  )
}

ensure_dependencies() {
  local stamp="$OWNOPS_ROOT/node_modules/.cache/ownops-install-stamp"
  local digest
  digest="$(manifest_digest)"
  if [ "${CI:-}" != "true" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$digest" ]; then
    return
  fi
  log_step "Installing dependencies (yarn install --immutable)"
  (cd "$OWNOPS_ROOT" && yarn install --immutable)
  mkdir -p "$(dirname "$stamp")"
  echo "$digest" >"$stamp"
}

prepare_toolchain() {
  ensure_node
  ensure_yarn
  log_step "Using Node.js $(node -v) and Yarn $(yarn --version)"
  ensure_dependencies
}
