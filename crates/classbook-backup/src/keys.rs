//! The school's backup key: derived from the school's backup passphrase with
//! argon2id, it gives the encryption master (per-file keys come from it) and
//! the school's ed25519 signing key. The public half of the signing key is
//! written in every manifest, so anyone can check years later that a copy
//! was made by the school and not changed — without the passphrase.
//!
//! On this PC the derived 64 bytes may be kept in the OS keyring (never next
//! to a backup), so scheduled backups need no passphrase typed or stored in a
//! file.

use crate::error::{BackupError, Result};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The keyring service the master is kept under (user = the school's id).
const KEYRING_SERVICE: &str = "classbook-backup";
/// The shortest passphrase `classbook backup key` accepts.
pub const MIN_PASSPHRASE_CHARS: usize = 8;
const KEY_CHECK_LABEL: &[u8] = b"classbook-backup key check v1";

/// How the master was derived; written in every file's header so a copy can
/// be opened years later with only the passphrase, whatever the defaults are then.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    pub algorithm: String,
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
    /// Hex of the salt: `classbook-backup:` and the school's id.
    pub salt: String,
}

impl KdfParams {
    /// argon2id, 64 MiB, 3 passes, 1 lane: about half a second here, which a
    /// backup pays once (or never, with the keyring) and a guesser per guess.
    pub fn for_school(school: Uuid) -> KdfParams {
        KdfParams {
            algorithm: "argon2id".into(),
            memory_kib: 64 * 1024,
            iterations: 3,
            parallelism: 1,
            salt: hex::encode(format!("classbook-backup:{school}")),
        }
    }
}

/// The school's key: the encryption master and the signing key.
#[derive(Clone)]
pub struct SchoolKey {
    enc_master: [u8; 32],
    signing: SigningKey,
    /// How it was derived (goes into the header of each file it encrypts).
    params: KdfParams,
}

/// What opens a school's copies: its passphrase (the key is derived with the
/// parameters of each file's header) or the key itself (from the keyring).
#[derive(Clone, Debug)]
// One per command, never in a collection: its size does not matter.
#[allow(clippy::large_enum_variant)]
pub enum Secret {
    Passphrase(String),
    Key(SchoolKey),
}

impl Secret {
    /// The key for a file whose header says `params`.
    pub fn key_for(&self, params: &KdfParams) -> Result<SchoolKey> {
        match self {
            Secret::Passphrase(phrase) => SchoolKey::derive(phrase, params),
            Secret::Key(key) => Ok(key.clone()),
        }
    }
}

impl std::fmt::Debug for SchoolKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SchoolKey({})", self.fingerprint())
    }
}

impl SchoolKey {
    /// Derive the key from the passphrase with `params` (the defaults of
    /// `KdfParams::for_school`, or those read from a file's header).
    pub fn derive(passphrase: &str, params: &KdfParams) -> Result<SchoolKey> {
        let bad = |detail: String| BackupError::Corrupt { path: Default::default(), detail };
        if params.algorithm != "argon2id" {
            return Err(bad(format!("неизвестный способ получения ключа «{}»", params.algorithm)));
        }
        let salt = hex::decode(&params.salt).map_err(|_| bad("неверная соль ключа".into()))?;
        let argon = argon2::Params::new(params.memory_kib, params.iterations, params.parallelism, Some(64))
            .map_err(|e| bad(format!("неверные параметры ключа: {e}")))?;
        let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, argon);
        let mut master = [0u8; 64];
        argon
            .hash_password_into(passphrase.as_bytes(), &salt, &mut master)
            .map_err(|e| bad(format!("ключ не получен: {e}")))?;
        Ok(SchoolKey::from_master(&master, params.clone()))
    }

    /// From the 64 derived bytes: 32 of encryption master, 32 of ed25519 seed.
    pub fn from_master(master: &[u8; 64], params: KdfParams) -> SchoolKey {
        let mut enc_master = [0u8; 32];
        enc_master.copy_from_slice(&master[..32]);
        let mut seed = [0u8; 32];
        seed.copy_from_slice(&master[32..]);
        SchoolKey { enc_master, signing: SigningKey::from_bytes(&seed), params }
    }

    pub fn params(&self) -> &KdfParams {
        &self.params
    }

    pub fn master(&self) -> [u8; 64] {
        let mut master = [0u8; 64];
        master[..32].copy_from_slice(&self.enc_master);
        master[32..].copy_from_slice(&self.signing.to_bytes());
        master
    }

    /// The key of one file: keyed by a random salt of that file, so no two
    /// files share a key (and STREAM nonces never repeat under one key).
    pub(crate) fn file_key(&self, file_salt: &[u8; 32]) -> [u8; 32] {
        *blake3::keyed_hash(&self.enc_master, file_salt).as_bytes()
    }

    /// Public key (hex) that goes into manifests.
    pub fn public_hex(&self) -> String {
        hex::encode(self.signing.verifying_key().to_bytes())
    }

    /// The short fingerprint of the public key, for people to compare.
    pub fn fingerprint(&self) -> String {
        fingerprint_of(&self.public_hex()).unwrap_or_default()
    }

    /// Sign `bytes` (a manifest exactly as stored) with the school's key.
    pub fn sign(&self, bytes: &[u8]) -> [u8; 64] {
        self.signing.sign(bytes).to_bytes()
    }
}

/// A few bytes of the file key that tell a wrong passphrase from damage.
pub(crate) fn key_check(file_key: &[u8; 32]) -> String {
    hex::encode(&blake3::keyed_hash(file_key, KEY_CHECK_LABEL).as_bytes()[..16])
}

/// «1a2b 3c4d 5e6f 7a8b»: the first 8 bytes of SHA-256 of the public key.
pub fn fingerprint_of(public_hex: &str) -> Option<String> {
    let bytes = hex::decode(public_hex).ok().filter(|b| b.len() == 32)?;
    let digest = hex::encode(&Sha256::digest(&bytes)[..8]);
    Some(digest.as_bytes().chunks(4).map(|c| std::str::from_utf8(c).unwrap_or("")).collect::<Vec<_>>().join(" "))
}

/// Whether `signature` over `bytes` was made by the key `public_hex`.
pub fn verify_signature(bytes: &[u8], signature: &[u8; 64], public_hex: &str) -> bool {
    let Some(public) = hex::decode(public_hex).ok().and_then(|b| <[u8; 32]>::try_from(b).ok()) else {
        return false;
    };
    let Ok(key) = VerifyingKey::from_bytes(&public) else { return false };
    key.verify(bytes, &Signature::from_bytes(signature)).is_ok()
}

/// Whether a fingerprint typed by a person (spaces, case ignored) is that of `public_hex`.
pub fn fingerprint_matches(typed: &str, public_hex: &str) -> bool {
    let norm = |s: &str| s.chars().filter(|c| !c.is_whitespace() && *c != ':').collect::<String>().to_lowercase();
    let typed = norm(typed);
    !typed.is_empty() && fingerprint_of(public_hex).is_some_and(|f| norm(&f) == typed || norm(public_hex) == typed)
}

fn keyring_entry(school: Uuid) -> Result<keyring::Entry> {
    keyring::Entry::new(KEYRING_SERVICE, &school.to_string()).map_err(|e| BackupError::NoKeyring(e.to_string()))
}

/// Keep the school's key in the OS keyring of this PC. Not to be called on a
/// tokio runtime's thread: the keyring's client runs one of its own.
pub fn keyring_store(school: Uuid, key: &SchoolKey) -> Result<()> {
    keyring_entry(school)?.set_password(&hex::encode(key.master())).map_err(|e| BackupError::NoKeyring(e.to_string()))
}

/// The school's key from the OS keyring, if it was set on this PC.
/// `Err(NoKeyring)` when there is no keyring service at all.
pub fn keyring_load(school: Uuid) -> Result<Option<SchoolKey>> {
    match keyring_entry(school)?.get_password() {
        Ok(text) => {
            let master = hex::decode(text.trim()).ok().and_then(|b| <[u8; 64]>::try_from(b).ok());
            Ok(master.map(|m| SchoolKey::from_master(&m, KdfParams::for_school(school))))
        }
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(BackupError::NoKeyring(e.to_string())),
    }
}

/// Check a new passphrase before it becomes the school's.
pub fn check_new_passphrase(passphrase: &str) -> Result<()> {
    if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(BackupError::WeakPassphrase { min: MIN_PASSPHRASE_CHARS });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cheap(school: Uuid) -> KdfParams {
        KdfParams { memory_kib: 64, iterations: 1, ..KdfParams::for_school(school) }
    }

    #[test]
    fn the_same_passphrase_and_school_give_the_same_key() {
        let school = Uuid::from_u128(7);
        let a = SchoolKey::derive("верная фраза", &cheap(school)).unwrap();
        let b = SchoolKey::derive("верная фраза", &cheap(school)).unwrap();
        assert_eq!(a.master(), b.master());
        let other_school = SchoolKey::derive("верная фраза", &cheap(Uuid::from_u128(8))).unwrap();
        assert_ne!(a.master(), other_school.master());
        let other_phrase = SchoolKey::derive("неверная фраза", &cheap(school)).unwrap();
        assert_ne!(a.public_hex(), other_phrase.public_hex());
        assert_eq!(SchoolKey::from_master(&a.master(), cheap(school)).public_hex(), a.public_hex());
    }

    #[test]
    fn signatures_check_with_the_public_key_only() {
        let key = SchoolKey::derive("фраза школы", &cheap(Uuid::from_u128(1))).unwrap();
        let signature = key.sign(b"manifest");
        assert!(verify_signature(b"manifest", &signature, &key.public_hex()));
        assert!(!verify_signature(b"manifesT", &signature, &key.public_hex()));
        let other = SchoolKey::derive("чужая фраза", &cheap(Uuid::from_u128(1))).unwrap();
        assert!(!verify_signature(b"manifest", &signature, &other.public_hex()));
        let fp = key.fingerprint();
        assert_eq!(fp.len(), 19, "{fp}");
        assert!(fingerprint_matches(&fp.to_uppercase().replace(' ', ""), &key.public_hex()));
        assert!(!fingerprint_matches(&other.fingerprint(), &key.public_hex()));
        assert!(!fingerprint_matches("", &key.public_hex()));
    }

    #[test]
    fn a_short_passphrase_is_refused() {
        assert_eq!(check_new_passphrase("1234567").unwrap_err().code(), "weak_passphrase");
        check_new_passphrase("12345678").unwrap();
    }
}
