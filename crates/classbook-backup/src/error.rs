//! What can go wrong with a backup, in Russian for the administrator: what
//! happened and what to do. No error leaves a file that looks like a good
//! backup behind (see `write`).

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("Папка для копии «{path}» не подходит: {reason}.")]
    BadPath { path: PathBuf, reason: String },

    #[error(
        "На носителе «{path}» закончилось место (нужно около {need_mb} МБ): освободите место или возьмите другой \
         носитель и повторите. Неполная копия удалена."
    )]
    NoSpace { path: PathBuf, need_mb: u64 },

    #[error(
        "Папка для копии «{path}» пропала во время записи — носитель отключён? Подключите его снова и повторите; \
         неполная копия не сохранена."
    )]
    DestinationGone { path: PathBuf },

    #[error("Носитель «{path}» доступен только для чтения: снимите защиту от записи или выберите другую папку.")]
    ReadOnly { path: PathBuf },

    #[error("Нет прав на запись в «{path}»: выберите другую папку или запустите от имени пользователя с правами.")]
    Denied { path: PathBuf },

    #[error("Не удалось {what} «{path}»: {source}.")]
    Io {
        what: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error(
        "Записанная копия «{path}» при чтении с носителя не совпала с записанной: носитель неисправен или \
         отключился. Копия не сохранена — возьмите другой носитель."
    )]
    ReadBackMismatch { path: PathBuf },

    #[error("«{path}» — не резервная копия Classbook.")]
    NotABackup { path: PathBuf },

    #[error(
        "Копия «{path}» обрезана (нет её окончания): её запись не завершилась или файл скопирован не полностью. \
         Возьмите другую копию."
    )]
    Truncated { path: PathBuf },

    #[error("Копия «{path}» повреждена: {detail}. Возьмите другую копию.")]
    Corrupt { path: PathBuf, detail: String },

    #[error("Копия «{path}» сделана более новой программой (формат {found}): обновите Classbook.")]
    NewerFormat { path: PathBuf, found: u32 },

    #[error(
        "Неверная парольная фраза резервной копии: копия «{path}» ею не открывается. Проверьте раскладку и регистр; \
         если фразу меняли, нужна та, что была при создании копии."
    )]
    WrongPassphrase { path: PathBuf },

    #[error(
        "Копия «{path}» подписана не ключом школы: её ключ {found}, а ожидался {expected}. Копия могла быть \
         подменена — не восстанавливайте её, пока не выясните, откуда она."
    )]
    ForeignSigner { path: PathBuf, expected: String, found: String },

    #[error(
        "Копия «{path}» — журнал другой школы («{copy_school}»), а этот журнал — «{this_school}». Если так и \
         нужно, повторите с --other-school."
    )]
    OtherSchool { path: PathBuf, copy_school: String, this_school: String },

    #[error("Журнал «{path}» повреждён ({detail}): копия с него не делается. Восстановите журнал из прошлой копии.")]
    JournalBroken { path: PathBuf, detail: String },

    #[error(
        "Ключ резервных копий на этом ПК задан для другой школы, а журнал «{path}» — школы {school}: задайте \
         ключ заново командой classbook backup key."
    )]
    KeyOfOtherSchool { path: PathBuf, school: String },

    #[error("Снимок журнала «{path}» не удалось сделать за {seconds} с: журнал занят. Повторите позже.")]
    Busy { path: PathBuf, seconds: u64 },

    #[error("Журнал «{path}» пуст: копировать нечего.")]
    EmptyJournal { path: PathBuf },

    #[error("Парольная фраза резервных копий слишком короткая: нужно не меньше {min} символов.")]
    WeakPassphrase { min: usize },

    #[error(
        "Хранилище паролей системы недоступно ({0}). Задайте парольную фразу в переменной \
         CLASSBOOK_BACKUP_PASSPHRASE или введите её по запросу."
    )]
    NoKeyring(String),

    #[error("Ошибка SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),

    #[error(transparent)]
    Journal(#[from] classbook_core::JournalError),
}

impl BackupError {
    /// A stable code for programs (the desktop app) to branch on.
    pub fn code(&self) -> &'static str {
        match self {
            BackupError::BadPath { .. } => "bad_path",
            BackupError::NoSpace { .. } => "no_space",
            BackupError::DestinationGone { .. } => "destination_gone",
            BackupError::ReadOnly { .. } => "read_only",
            BackupError::Denied { .. } => "denied",
            BackupError::Io { .. } => "io",
            BackupError::ReadBackMismatch { .. } => "read_back_mismatch",
            BackupError::NotABackup { .. } => "not_a_backup",
            BackupError::Truncated { .. } => "truncated",
            BackupError::Corrupt { .. } => "corrupt",
            BackupError::NewerFormat { .. } => "newer_format",
            BackupError::WrongPassphrase { .. } => "wrong_passphrase",
            BackupError::ForeignSigner { .. } => "foreign_signer",
            BackupError::OtherSchool { .. } => "other_school",
            BackupError::JournalBroken { .. } => "journal_broken",
            BackupError::KeyOfOtherSchool { .. } => "key_of_other_school",
            BackupError::Busy { .. } => "busy",
            BackupError::EmptyJournal { .. } => "empty_journal",
            BackupError::WeakPassphrase { .. } => "weak_passphrase",
            BackupError::NoKeyring(_) => "no_keyring",
            BackupError::Sqlite(_) => "sqlite",
            BackupError::Journal(_) => "journal",
        }
    }
}

pub type Result<T, E = BackupError> = std::result::Result<T, E>;

/// An IO error while writing into the destination folder, named by what it
/// means for the administrator (a full disk, a medium pulled out, read-only).
pub(crate) fn write_error(
    dir: &std::path::Path,
    what: &'static str,
    file: &std::path::Path,
    source: std::io::Error,
    need_bytes: u64,
) -> BackupError {
    use std::io::ErrorKind;
    let path = dir.to_owned();
    match source.kind() {
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => {
            BackupError::NoSpace { path, need_mb: need_bytes.div_ceil(1 << 20).max(1) }
        }
        ErrorKind::ReadOnlyFilesystem => BackupError::ReadOnly { path },
        ErrorKind::PermissionDenied => BackupError::Denied { path },
        _ if !dir.is_dir() => BackupError::DestinationGone { path },
        _ => BackupError::Io { what, path: file.to_owned(), source },
    }
}
