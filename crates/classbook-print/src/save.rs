//! Saving a PDF whole or not at all: into a temporary file in the target's
//! folder, flushed to the disk, then renamed over the target. A full disk,
//! an unplugged drive or a crash leaves the old file or none, never half a
//! journal that looks like a whole one.

use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("Папки {} нет: выберите существующую папку или создайте её.", .0.display())]
    NoFolder(PathBuf),
    #[error("Не удалось записать в папку {}: {source}. Проверьте, что она доступна для записи.", .dir.display())]
    Folder { dir: PathBuf, source: std::io::Error },
    #[error("Не удалось записать {}: {source} (проверьте место на диске); файл не создан.", .path.display())]
    Write { path: PathBuf, source: std::io::Error },
    #[error("Не удалось сохранить {}: {source}. Возможно, файл открыт в другой программе.", .path.display())]
    Rename { path: PathBuf, source: std::io::Error },
}

pub fn save_pdf(path: &Path, bytes: &[u8]) -> Result<(), SaveError> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(SaveError::NoFolder(dir.to_path_buf()));
    }
    let mut builder = tempfile::Builder::new();
    // A printout is an ordinary document, not a secret: readable like any
    // file the user saves (tempfile's default is owner-only).
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    let mut file = builder.tempfile_in(dir).map_err(|source| SaveError::Folder { dir: dir.to_path_buf(), source })?;
    file.write_all(bytes)
        .and_then(|_| file.as_file().sync_all())
        .map_err(|source| SaveError::Write { path: path.to_path_buf(), source })?;
    file.persist(path).map_err(|e| SaveError::Rename { path: path.to_path_buf(), source: e.error })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pdf_is_written_whole_and_replaces_the_old_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.pdf");
        std::fs::write(&path, b"old").unwrap();
        save_pdf(&path, b"%PDF-1.7 new").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"%PDF-1.7 new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file is left behind");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o644);
        }
        let missing = dir.path().join("нет").join("a.pdf");
        let err = save_pdf(&missing, b"%PDF").unwrap_err();
        assert!(err.to_string().contains("нет: выберите существующую папку"), "{err}");
        assert!(!missing.exists());
    }
}
