//! Grade math (being written).
