# shellcheck shell=bash
# Shared helpers for scripts/*.sh and .ci/run. Source it; do not run it.
# Callers set `set -euo pipefail` themselves.

# The repository root, whatever directory the caller was started from.
CLASSBOOK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CLASSBOOK_ROOT

log() {
    printf '==> %s\n' "$*" >&2
}

die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

# Debian packages the build needs. Extend this list as crates need more
# (the desktop app will add libwebkit2gtk-4.1-dev and friends, its UI tests xvfb).
#   build-essential: a C compiler for bundled SQLite (rusqlite) and blake3
#   pkg-config:      how -sys crates find system libraries
classbook_system_packages() {
    echo build-essential pkg-config
}

# Install the packages above that are missing. Checks with dpkg first, so a
# machine that already has everything never touches apt (repeated runs are fast).
ensure_system_packages() {
    local missing=() pkg
    if ! command -v dpkg >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
        log "not a Debian-like system: make sure these are installed: $(classbook_system_packages)"
        return 0
    fi
    for pkg in $(classbook_system_packages); do
        if ! dpkg -s "$pkg" 2>/dev/null | grep -q '^Status: install ok installed'; then
            missing+=("$pkg")
        fi
    done
    if [ "${#missing[@]}" -eq 0 ]; then
        return 0
    fi
    log "installing system packages: ${missing[*]}"
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 \
            || die "need root (or sudo) to install: ${missing[*]}"
        sudo=(sudo)
    fi
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y --no-install-recommends "${missing[@]}"
}

# Rust is expected to be installed (rustup.rs); the toolchain is not ours to manage.
ensure_rust() {
    command -v cargo >/dev/null 2>&1 \
        || die "cargo not found: install Rust from https://rustup.rs (1.85 or newer) and retry"
}
