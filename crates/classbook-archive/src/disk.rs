//! File-system work shared by making and checking a bundle: hashing, fsync,
//! reading back past the OS cache, read-only marks and their removal.

use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

const BUF: usize = 1 << 20;

/// SHA-256 (hex) and size of a file, `tick` told the bytes of each piece.
pub fn hash_file(path: &Path, tick: &mut dyn FnMut(u64)) -> std::io::Result<(String, u64)> {
    let mut file = std::fs::File::open(path)?;
    let mut sha = Sha256::new();
    let mut buf = vec![0u8; BUF];
    let mut total = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        sha.update(&buf[..n]);
        total += n as u64;
        tick(n as u64);
    }
    Ok((hex::encode(sha.finalize()), total))
}

/// Copy `from` to a new file `to` and fsync it, then drop its pages from the
/// OS cache so that the read-back that follows reads the medium.
pub fn copy_durably(from: &Path, to: &Path, tick: &mut dyn FnMut(u64)) -> std::io::Result<()> {
    let mut input = std::fs::File::open(from)?;
    let mut output = std::fs::OpenOptions::new().write(true).create_new(true).open(to)?;
    let mut buf = vec![0u8; BUF];
    loop {
        let n = input.read(&mut buf)?;
        if n == 0 {
            break;
        }
        output.write_all(&buf[..n])?;
        tick(n as u64);
    }
    output.sync_all()?;
    drop_cache(&output);
    Ok(())
}

/// Drop a file's clean pages from the OS cache (a USB stick that claimed an
/// fsync it did not do shows at the read-back, not at the 25-year check).
pub fn drop_cache(file: &std::fs::File) {
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: a plain advisory call on an open descriptor we own.
        unsafe {
            libc::posix_fadvise(file.as_raw_fd(), 0, 0, libc::POSIX_FADV_DONTNEED);
        }
    }
    #[cfg(not(unix))]
    let _ = file;
}

/// fsync a directory, so the names in it (new files, a rename) are durable.
pub fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Every file under `root` (relative, with `/`), and every folder, deepest
/// first. Symlinks count as files: a bundle has none of its own.
pub fn walk(root: &Path) -> std::io::Result<(Vec<String>, Vec<PathBuf>)> {
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    let mut stack = vec![root.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(root).unwrap_or(&path);
                let parts: Vec<String> =
                    rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
                files.push(parts.join("/"));
            }
        }
        dirs.push(dir);
    }
    files.sort();
    dirs.reverse();
    Ok((files, dirs))
}

/// Set the permission bits (files 0444, folders 0555: nobody writes into
/// an archive by mistake). Where the medium cannot keep them (FAT), an error.
pub fn set_mode(path: &Path, mode: u32) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
    }
    #[cfg(not(unix))]
    {
        let mut permissions = std::fs::metadata(path)?.permissions();
        permissions.set_readonly(mode & 0o200 == 0);
        std::fs::set_permissions(path, permissions)
    }
}

/// Remove a folder we wrote, read-only marks and all (best effort: a medium
/// that is gone keeps what it has).
pub fn remove_tree(root: &Path) {
    if std::fs::symlink_metadata(root).is_err() {
        return;
    }
    if let Ok((_, dirs)) = walk(root) {
        for dir in dirs.iter().rev() {
            let _ = set_mode(dir, 0o755);
        }
    } else {
        let _ = set_mode(root, 0o755);
    }
    let _ = std::fs::remove_dir_all(root);
    if let Some(parent) = root.parent() {
        let _ = sync_dir(parent);
    }
}

/// The device a folder is on (`st_dev`), to tell two media from one.
pub fn device_of(path: &Path) -> Option<u64> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).ok().map(|m| m.dev())
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}
