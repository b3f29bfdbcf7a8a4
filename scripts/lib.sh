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

# Debian packages the build needs (Debian 12; names checked with apt-cache).
#   build-essential:       a C compiler for bundled SQLite (rusqlite) and blake3
#   pkg-config:            how -sys crates find system libraries
#   libwebkit2gtk-4.1-dev: the desktop app's web view (WebKitGTK 4.1, GTK 3, libsoup 3)
#   librsvg2-dev:          icons in GTK
#   libxdo-dev:            keyboard shortcuts of GTK menus (Tauri's menu crate links it)
#   webkit2gtk-driver:     /usr/bin/WebKitWebDriver, which tauri-driver drives in the UI tests
#   xvfb:                  a virtual display for the UI tests
#   xauth:                 xvfb-run needs it (xvfb only recommends it); the package test starts the app with xvfb-run
#   x11-apps:              xwd, which the UI tests use to picture the Xvfb screen
#   netpbm:                xwdtopnm and pnmtopng, which turn that picture into docs/screenshots/*.png
#   desktop-file-utils:    desktop-file-validate, which checks the .deb's menu entry (scripts/test-package.sh)
#   dbus, gnome-keyring:   a real Secret Service for the sync tests (the device token lives in the OS
#                          keyring): each test starts its own bus and keyring daemon
#   poppler-utils, qpdf:   pdfinfo, pdffonts, pdftotext, pdftoppm and qpdf --check, with which the
#                          print tests read the PDFs back as a reader and a print shop would
# The .deb itself needs nothing more: Tauri's bundler writes it in Rust; objcopy
# (binutils) and dpkg-shlibdeps (dpkg-dev) come with build-essential.
classbook_system_packages() {
    echo build-essential pkg-config libwebkit2gtk-4.1-dev librsvg2-dev libxdo-dev webkit2gtk-driver xvfb xauth \
        x11-apps netpbm desktop-file-utils dbus gnome-keyring poppler-utils qpdf
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
        if ! dpkg -s "$pkg" 2>/dev/null | grep '^Status: install ok installed' >/dev/null; then
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

# Node.js 18 or newer for the UI build (Vite); Debian 12's nodejs is 18.
ensure_node() {
    local major=0
    if command -v node >/dev/null 2>&1; then
        major="$(node -p 'process.versions.node.split(".")[0]')"
    fi
    if [ "$major" -lt 18 ]; then
        log "installing Node.js (nodejs, npm) for the UI build"
        local sudo=()
        [ "$(id -u)" -eq 0 ] || sudo=(sudo)
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm
    fi
}

# Build the UI into ui/dist, which the desktop binary embeds. The install runs
# only when package-lock.json changed since the last install.
build_ui() {
    ensure_node
    if [ ! -f ui/node_modules/.package-lock.json ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
        # `npm install` from the lock file rather than `npm ci`: the npm 11 here
        # records only this platform's optional packages (rollup's native
        # builds) in the lock, and `npm ci` then refuses it as out of sync.
        # With a lock present, `npm install` installs exactly what it lists.
        log "npm install (ui/, from package-lock.json)"
        (cd ui && npm install --no-audit --no-fund)
    fi
    # A rebuilt ui/dist makes cargo rebuild the desktop crate that embeds it
    # (over a minute here), so the UI is built only when its sources changed.
    if [ -f ui/dist/index.html ] && [ -z "$(find ui/src ui/index.html ui/package.json ui/package-lock.json \
        ui/vite.config.ts ui/svelte.config.js ui/tsconfig.json ui/public -newer ui/dist/index.html 2>/dev/null \
        | head -n 1)" ]; then
        log "the UI is up to date (ui/dist newer than its sources)"
        return 0
    fi
    log "building the UI (ui/dist)"
    (cd ui && npm run build)
}

# tauri-driver puts the desktop app behind WebDriver for the UI tests.
ensure_tauri_driver() {
    if command -v tauri-driver >/dev/null 2>&1 || [ -x "$HOME/.cargo/bin/tauri-driver" ]; then
        return 0
    fi
    log "installing tauri-driver (cargo install; a few minutes the first time)"
    cargo install tauri-driver --version '^2' --locked
}
