#!/usr/bin/env bash
# The Debian package for staff-room PCs: `scripts/package-deb.sh` builds
# dist/classbook_<version>_amd64.deb with Tauri's bundler and prints its path.
# The package holds /usr/bin/classbook-desktop (the app, with a menu entry
# «Классный журнал» and its icons), /usr/bin/classbook (the sysadmin's CLI)
# and /usr/bin/classbook-server (the sync server, for a school that keeps
# its own on one of its PCs).
# Install it with `sudo apt install ./dist/classbook_*.deb` (or `dpkg -i`).
#
# Steps: the system packages and the UI's npm packages (the Tauri CLI,
# @tauri-apps/cli, is one of them) when missing; the UI; both binaries in
# release mode; then `tauri bundle` packs copies of them without debug info.
# The package's settings (Depends, Section, the menu entry, /usr/bin/classbook)
# are in src-tauri/tauri.conf.json under bundle.linux.deb.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CLASSBOOK_ROOT"

ensure_system_packages
ensure_rust
# npm install from the lock file (with the Tauri CLI) and ui/dist, which the
# desktop binary embeds.
build_ui
TAURI="$CLASSBOOK_ROOT/ui/node_modules/.bin/tauri"
[ -x "$TAURI" ] || die "the Tauri CLI is missing from ui/node_modules: run \`npm install\` in ui/"

TARGET="${CARGO_TARGET_DIR:-$CLASSBOOK_ROOT/target}"
# Two commands, not one `-p classbook-desktop -p classbook-cli`: cargo would
# unify the two packages' dependency features and build a third set of every
# dependency beside those of scripts/demo.sh and `cargo build -p classbook-cli`.
log "building classbook-desktop (release; the first build takes about 17 minutes on 2 cores)"
cargo build --release -p classbook-desktop
log "building classbook (release)"
cargo build --release -p classbook-cli
log "building classbook-server (release)"
cargo build --release -p classbook-server

# The bundler packs the binaries of <target dir>/release. It gets a directory
# of its own with copies stripped of debug info: the release profile keeps line
# tables (94 MB for the app; 15 MB without them), and the bundler patches the
# app binary it packs, which must not be the one in the shared target dir.
# The symbol table stays: the bundler finds what it patches through it.
STAGE="$CLASSBOOK_ROOT/dist/stage"
rm -rf "$STAGE"
mkdir -p "$STAGE/release"
objcopy --strip-debug "$TARGET/release/classbook-desktop" "$STAGE/release/classbook-desktop"
# bundle.linux.deb.files maps /usr/bin/classbook and /usr/bin/classbook-server to these paths.
objcopy --strip-debug "$TARGET/release/classbook" "$STAGE/release/classbook"
objcopy --strip-debug "$TARGET/release/classbook-server" "$STAGE/release/classbook-server"

log "packing the .deb (tauri bundle)"
(cd src-tauri && CARGO_TARGET_DIR="$STAGE" "$TAURI" bundle --bundles deb)

shopt -s nullglob
built=("$STAGE"/release/bundle/deb/*.deb)
[ "${#built[@]}" -eq 1 ] || die "expected one .deb under $STAGE/release/bundle/deb, found ${#built[@]}"
# Debian's file name: <package>_<version>_<arch>.deb, from the control file.
name="$(dpkg-deb -f "${built[0]}" Package)_$(dpkg-deb -f "${built[0]}" Version)_$(dpkg-deb -f "${built[0]}" Architecture).deb"
rm -f "$CLASSBOOK_ROOT"/dist/*.deb
cp "${built[0]}" "$CLASSBOOK_ROOT/dist/$name"
log "package: dist/$name ($(du -h "$CLASSBOOK_ROOT/dist/$name" | cut -f1))"
echo "$CLASSBOOK_ROOT/dist/$name"
