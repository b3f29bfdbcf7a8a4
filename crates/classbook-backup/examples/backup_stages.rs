//! Where a backup's time goes, stage by stage, on a journal file (the demo
//! school in scripts/bench-backup.sh): the one-step snapshot into memory
//! against `VACUUM INTO` a file + fsync, SHA-256 of the image, zstd at a few
//! levels, the STREAM encryption, the school key's argon2id, and the whole
//! `backup()` as the CLI runs it; then verify and restore, stage by stage.
//!
//!   cargo run --release -p classbook-backup --example backup_stages -- JOURNAL DEST_DIR

use chacha20poly1305::aead::stream::EncryptorBE32;
use chacha20poly1305::{KeyInit, XChaCha20Poly1305};
use classbook_backup::{
    BackupOptions, KdfParams, Progress, RestoreOptions, SchoolKey, Secret, Stage, backup, restore, school_of, snapshot,
    verify,
};
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use std::time::Instant;

/// Where a run sends its progress.
type Report<'a> = &'a mut dyn FnMut(Progress);

fn best<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::MAX;
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        let value = f();
        best = best.min(start.elapsed().as_secs_f64());
        last = Some(value);
    }
    (best, last.expect("runs > 0"))
}

fn main() {
    let mut args = std::env::args().skip(1);
    let journal = PathBuf::from(args.next().expect("JOURNAL"));
    let dest = PathBuf::from(args.next().expect("DEST_DIR"));
    let size = std::fs::metadata(&journal).unwrap().len();
    let mb = |bytes: u64, secs: f64| bytes as f64 / 1e6 / secs;
    println!("journal: {:.1} MB", size as f64 / 1e6);

    let (t, snap) = best(3, || snapshot::take(&journal).unwrap());
    println!("snapshot (backup API, one step, into memory): {t:.3} s");
    let (t, image_copy) = best(3, || snap.image().unwrap().to_vec());
    println!("serializing it: {t:.3} s (with a copy into a Vec)");
    drop(image_copy);
    let (t, _) = best(2, || snapshot::check(snapshot::take(&journal).unwrap().source, &journal).unwrap());
    println!("quick_check + counts + op heads in the snapshot's transaction: {t:.3} s (includes another snapshot)");
    let (t, _) = best(3, || {
        let conn = rusqlite::Connection::open_with_flags(&journal, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
        let out = dest.join("vacuum-into.db");
        let _ = std::fs::remove_file(&out);
        conn.execute("VACUUM INTO ?1", [out.to_str().unwrap()]).unwrap();
        std::fs::File::open(&out).unwrap().sync_all().unwrap();
        std::fs::remove_file(&out).unwrap();
    });
    println!("for comparison, VACUUM INTO a file + fsync (no checks): {t:.3} s");

    let image = snap.image().unwrap();
    let (t, _) = best(3, || Sha256::digest(&image[..]));
    println!("SHA-256 of the image: {t:.3} s ({:.0} MB/s)", mb(image.len() as u64, t));
    for level in [-5, -3, -1, 1, 3] {
        let (t, out) = best(2, || zstd::bulk::compress(&image, level).unwrap());
        println!(
            "zstd level {level}: {t:.3} s ({:.0} MB/s), {:.1} MB → {:.1} MB",
            mb(image.len() as u64, t),
            image.len() as f64 / 1e6,
            out.len() as f64 / 1e6
        );
    }
    let compressed = zstd::bulk::compress(&image, 1).unwrap();
    let (t, _) = best(3, || {
        let aead = XChaCha20Poly1305::new((&[7u8; 32]).into());
        let mut enc = EncryptorBE32::from_aead(aead, (&[1u8; 19]).into());
        let mut buf = Vec::with_capacity((1 << 20) + 16);
        for piece in compressed.chunks(1 << 20) {
            buf.clear();
            buf.extend_from_slice(piece);
            enc.encrypt_next_in_place(b"", &mut buf).unwrap();
        }
    });
    println!(
        "XChaCha20-Poly1305 STREAM of the compressed image: {t:.3} s ({:.0} MB/s)",
        mb(compressed.len() as u64, t)
    );

    let school = school_of(&journal).unwrap();
    let (t, key) = best(3, || SchoolKey::derive("пароль для замера копий", &KdfParams::for_school(school)).unwrap());
    println!("argon2id of the passphrase (64 MiB, t = 3): {t:.3} s (none with the key in the keyring)");

    drop(image);
    drop(snap);
    let options = BackupOptions { keep: 1, ..BackupOptions::default() };
    let (t, done) = best(5, || backup(&journal, &dest, &key, &options, &mut |_| {}).unwrap());
    println!(
        "backup() with the key at hand: {t:.3} s ({:.0} MB/s of journal), file {:.1} MB",
        mb(size, t),
        done.file_bytes as f64 / 1e6
    );

    // Verify and restore, each stage's time from the progress reports.
    let staged = |what: &str, run: &mut dyn FnMut(Report<'_>)| {
        let start = Instant::now();
        let mut marks: Vec<(Stage, f64)> = Vec::new();
        run(&mut |p: Progress| {
            if marks.last().map(|m| m.0) != Some(p.stage) {
                marks.push((p.stage, start.elapsed().as_secs_f64()));
            }
        });
        let total = start.elapsed().as_secs_f64();
        let mut line = format!("{what}: {total:.3} s;");
        for (i, (stage, at)) in marks.iter().enumerate() {
            let end = marks.get(i + 1).map_or(total, |m| m.1);
            line.push_str(&format!(" {stage:?} {:.3} s", end - at));
        }
        println!("{line} (before the first report: {:.3} s)", marks.first().map_or(total, |m| m.1));
    };
    let secret = Secret::Key(key.clone());
    staged("verify with the key", &mut |p| {
        verify(&done.path, Some(&secret), None, p).unwrap();
    });
    let target = dest.join("restored.db");
    std::fs::copy(&journal, &target).unwrap();
    staged("restore over a copy of the journal", &mut |p| {
        restore(&target, &done.path, &secret, &RestoreOptions::default(), p).unwrap();
    });
    for entry in std::fs::read_dir(&dest).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().is_some_and(|n| n.to_string_lossy().starts_with("restored.db")) {
            let _ = std::fs::remove_file(path);
        }
    }
    let _ = std::fs::remove_file(&done.path);
}
