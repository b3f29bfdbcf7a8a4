//! What can go wrong with the yearly archive, in Russian for the
//! administrator: what happened and what to do. Making an archive leaves no
//! folder that looks like a complete bundle behind (see `create`); checking
//! one names the file that is wrong.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("Учебного года «{wanted}» в журнале нет: укажите его так, как он назван на экране «Школа» ({known}).")]
    NoSuchYear { wanted: String, known: String },

    #[error(
        "Учебный год {year} ещё не завершён: не закрыты периоды {open}. Архив формируется после закрытия всех \
         периодов года — их закрывает администратор на экране «Администрирование». Ничего не записано."
    )]
    YearNotClosed { year: String, open: String },

    #[error("В учебном году {year} нет классов: архивировать нечего.")]
    NoClasses { year: String },

    #[error(
        "Укажите не меньше двух папок для архива (--to ПАПКА1 --to ПАПКА2): копии хранятся на двух носителях в \
         разных помещениях."
    )]
    TooFewDestinations,

    #[error(
        "Папка «{path}» указана дважды (или это одна и та же папка под разными именами): нужны два разных \
         носителя. Ничего не записано."
    )]
    SameDestination { path: PathBuf },

    #[error("Папка для архива «{path}» не подходит: {reason}.")]
    BadDestination { path: PathBuf, reason: String },

    #[error(
        "На носителе «{path}» закончилось место: освободите место или возьмите другой носитель и повторите. \
         Неполная копия архива удалена{others}."
    )]
    NoSpace { path: PathBuf, others: String },

    #[error(
        "Папка «{path}» пропала во время записи архива — носитель отключён? Подключите его и повторите; неполная \
         копия не сохранена{others}."
    )]
    DestinationGone { path: PathBuf, others: String },

    #[error(
        "Носитель «{path}» доступен только для чтения: снимите защиту от записи или выберите другую папку. \
         Ничего не записано{others}."
    )]
    ReadOnly { path: PathBuf, others: String },

    #[error("Нет прав на запись в «{path}»: выберите другую папку. Ничего не записано{others}.")]
    Denied { path: PathBuf, others: String },

    #[error(
        "Архив, записанный на «{path}», при чтении с носителя не совпал с записанным («{file}»): носитель \
         неисправен или отключился. Копия удалена{others} — возьмите другой носитель."
    )]
    ReadBackMismatch { path: PathBuf, file: String, others: String },

    #[error("Не удалось {what} «{path}»: {source}.")]
    Io {
        what: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("«{path}» — не архив Classbook: в папке нет описи manifest.json.")]
    NotAnArchive { path: PathBuf },

    #[error("Опись архива «{path}» не читается ({detail}): архив повреждён. Возьмите вторую копию архива.")]
    BadManifest { path: PathBuf, detail: String },

    #[error(
        "Подпись описи архива «{path}» неверна: опись изменена после подписания или подпись сделана другим \
         ключом. Архиву нельзя доверять — возьмите вторую копию и выясните, кто менял архив."
    )]
    BadSignature { path: PathBuf },

    #[error(
        "Архив «{path}» подписан не ключом школы: его ключ {found}, а ожидался {expected}. Архив мог быть \
         подменён — не пользуйтесь им, пока не выясните, откуда он."
    )]
    ForeignSigner { path: PathBuf, expected: String, found: String },

    #[error(
        "Файл архива «{file}» изменён: его SHA-256 (или размер) не совпадает с описью. Возьмите этот файл из \
         второй копии архива."
    )]
    Changed { file: String },

    #[error("В архиве нет файла «{file}», указанного в описи: возьмите его из второй копии архива.")]
    Missing { file: String },

    #[error(
        "В архиве лишний файл «{file}», которого нет в описи: архив неизменяем, в него ничего не добавляют. \
         Выясните, откуда файл."
    )]
    Extra { file: String },

    #[error(
        "Архив «{path}» не совпадает с записью № {number} архивного реестра этого журнала ({detail}): архив \
         мог быть подменён."
    )]
    NotAsRegistered { path: PathBuf, number: i64, detail: String },

    #[error("Архив повреждён:\n{}", .problems.iter().map(|p| format!("  — {p}")).collect::<Vec<_>>().join("\n"))]
    Damaged { problems: Vec<ArchiveError> },

    #[error("Снимок журнала в архиве: {0}")]
    Snapshot(#[from] classbook_backup::BackupError),

    #[error("Печать журналов для архива: {0}")]
    Print(#[from] classbook_print::SaveError),

    #[error("Таблицы Excel для архива: {0}")]
    Exchange(#[from] classbook_exchange::ExchangeError),

    #[error(transparent)]
    Journal(#[from] classbook_core::JournalError),
}

impl ArchiveError {
    /// A stable code for programs (the desktop app) to branch on.
    pub fn code(&self) -> &'static str {
        match self {
            ArchiveError::NoSuchYear { .. } => "no_such_year",
            ArchiveError::YearNotClosed { .. } => "year_not_closed",
            ArchiveError::NoClasses { .. } => "no_classes",
            ArchiveError::TooFewDestinations => "too_few_destinations",
            ArchiveError::SameDestination { .. } => "same_destination",
            ArchiveError::BadDestination { .. } => "bad_destination",
            ArchiveError::NoSpace { .. } => "no_space",
            ArchiveError::DestinationGone { .. } => "destination_gone",
            ArchiveError::ReadOnly { .. } => "read_only",
            ArchiveError::Denied { .. } => "denied",
            ArchiveError::ReadBackMismatch { .. } => "read_back_mismatch",
            ArchiveError::Io { .. } => "io",
            ArchiveError::NotAnArchive { .. } => "not_an_archive",
            ArchiveError::BadManifest { .. } => "bad_manifest",
            ArchiveError::BadSignature { .. } => "bad_signature",
            ArchiveError::ForeignSigner { .. } => "foreign_signer",
            ArchiveError::Changed { .. } => "changed",
            ArchiveError::Missing { .. } => "missing",
            ArchiveError::Extra { .. } => "extra",
            ArchiveError::NotAsRegistered { .. } => "not_as_registered",
            ArchiveError::Damaged { .. } => "damaged",
            ArchiveError::Snapshot(_) => "snapshot",
            ArchiveError::Print(_) => "print",
            ArchiveError::Exchange(_) => "exchange",
            ArchiveError::Journal(_) => "journal",
        }
    }
}

pub type Result<T, E = ArchiveError> = std::result::Result<T, E>;

/// An IO error while writing into a destination, named by what it means for
/// the administrator (a full disk, a medium pulled out, read-only). `others`:
/// what happened to the copies on the other media (they are removed too).
pub(crate) fn write_error(dest: &std::path::Path, file: &std::path::Path, source: std::io::Error) -> ArchiveError {
    use std::io::ErrorKind;
    let path = dest.to_owned();
    let others = String::new();
    match source.kind() {
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => ArchiveError::NoSpace { path, others },
        ErrorKind::ReadOnlyFilesystem => ArchiveError::ReadOnly { path, others },
        ErrorKind::PermissionDenied => ArchiveError::Denied { path, others },
        _ if !dest.is_dir() => ArchiveError::DestinationGone { path, others },
        _ => ArchiveError::Io { what: "записать", path: file.to_owned(), source },
    }
}

impl ArchiveError {
    /// Say in a write error that the copies on the other media were removed
    /// too (the archive is on every medium given or on none).
    pub(crate) fn with_others_removed(mut self, removed: &[PathBuf]) -> ArchiveError {
        if removed.is_empty() {
            return self;
        }
        let text = format!(
            "; копии на {} тоже удалены — архив записывается на все носители сразу или ни на один",
            removed.iter().map(|p| format!("«{}»", p.display())).collect::<Vec<_>>().join(", ")
        );
        match &mut self {
            ArchiveError::NoSpace { others, .. }
            | ArchiveError::DestinationGone { others, .. }
            | ArchiveError::ReadOnly { others, .. }
            | ArchiveError::Denied { others, .. }
            | ArchiveError::ReadBackMismatch { others, .. } => *others = text,
            _ => {}
        }
        self
    }
}
