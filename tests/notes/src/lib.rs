//! Keeps the lesson notes honest. Two checks, both run by a plain `cargo test`:
//!
//! - Every ```` ```rust ```` block in `notes/*.md` compiles: each notes file is
//!   included below as documentation, so its Rust blocks are doc-tests.
//!   A block marked `compile_fail` must fail to compile (the notes use these
//!   to show the compiler errors learners meet).
//! - Every block that starts with `// In <path>` (or `# In <path>`) is an
//!   excerpt: `tests/excerpts.rs` checks it appears word for word in that
//!   file, so notes and solutions cannot drift apart. Excerpts are marked
//!   `rust,ignore` because a piece of a file does not compile on its own.

#[cfg(doctest)]
#[doc = include_str!("../../../notes/01-raw-routing.md")]
pub struct Lesson01RawRouting;
