//! The Classbook journal on one PC.
