//! `classbook-domain` — the pure heart of the Classbook journal, shared by the
//! desktop app, the CLI and the server: identifiers, the hybrid logical clock,
//! operations and what they write, the rules and permissions as pure
//! functions over facts, and grade math. No IO lives here.

pub mod entity;
pub mod grades;
pub mod hlc;
pub mod ids;
pub mod model;
pub mod op;
pub mod rules;
pub mod sync;
