//! The HTML of every page, as constants.
//!
//! The module is private (`mod pages;` in `lib.rs`), so `pub` here means
//! "usable anywhere in this crate", not "usable by other crates".

// TODO 1: Move the five page constants from `src/main.rs` into this file
//         (cut them there, paste them here). Then:
//         - rename them: inside a module called `pages`, `HOME` is enough,
//           because other files will write `pages::HOME`. So `HOME_PAGE`
//           becomes `HOME`, `CONTACT_PAGE` becomes `CONTACT`, and so on:
//           `HOME`, `CONTACT`, `ABOUT`, `NOT_FOUND`, `METHOD_NOT_ALLOWED`.
//         - put `pub` in front of each `const`, or `handlers.rs` cannot use
//           them (error E0603, "constant is private").
