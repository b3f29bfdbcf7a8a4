//! `classbook-print` — the journal on paper: the yearly class journal ready
//! for duplex printing and binding, the summary sheet of finals, a parent's
//! printout for any dates, the report card. Layout (wrapping, tables that
//! break across pages with their headers, page numbers) is ours; printpdf
//! only writes the PDF, with the font from `assets/fonts` embedded.
