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

#[cfg(doctest)]
#[doc = include_str!("../../../notes/02-modules.md")]
pub struct Lesson02Modules;

#[cfg(doctest)]
#[doc = include_str!("../../../notes/03-express-routing.md")]
pub struct Lesson03ExpressRouting;

#[cfg(doctest)]
#[doc = include_str!("../../../notes/04-static-files.md")]
pub struct Lesson04StaticFiles;

#[cfg(doctest)]
#[doc = include_str!("../../../notes/05-templates.md")]
pub struct Lesson05Templates;

#[cfg(doctest)]
#[doc = include_str!("../../../notes/06-mongo-models.md")]
pub struct Lesson06MongoModels;

#[cfg(doctest)]
#[doc = include_str!("../../../notes/07-cookies.md")]
pub struct Lesson07Cookies;

#[cfg(doctest)]
#[doc = include_str!("../../../notes/08-middleware.md")]
pub struct Lesson08Middleware;

#[cfg(doctest)]
#[doc = include_str!("../../../notes/09-jwt.md")]
pub struct Lesson09Jwt;
