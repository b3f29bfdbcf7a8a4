//! `classbook-exchange` — spreadsheets in and out of the journal: import of
//! students, parents, staff and КТП from xlsx/ods/xls (columns found by their
//! header names, a dry run first, row-level errors in Russian, all or nothing),
//! and export of journal data to xlsx, csv and json.
