//! The HTML of every page, as constants.
//!
//! The module is private (`mod pages;` in `lib.rs`), so `pub` here means
//! "usable anywhere in this crate", not "usable by other crates".
//!
//! Inside a module called `pages`, a name like `HOME` is enough: the code
//! that uses it writes `pages::HOME`.

pub const HOME: &str = "<!doctype html>\n<title>Home</title>\n<h1>Home</h1>\n\
    <p>Welcome! Try <a href=\"/contact\">contact</a> or <a href=\"/about\">about</a>.</p>\n";
pub const CONTACT: &str = "<!doctype html>\n<title>Contact</title>\n<h1>Contact Page</h1>\n\
    <p>Write to us at hello@example.com.</p>\n";
pub const ABOUT: &str = "<!doctype html>\n<title>About</title>\n<h1>About</h1>\n\
    <p>A server with no framework: just hyper and a match.</p>\n";
pub const NOT_FOUND: &str = "<!doctype html>\n<title>Not found</title>\n<h1>404: page not found</h1>\n\
    <p>Go back <a href=\"/\">home</a>.</p>\n";
pub const METHOD_NOT_ALLOWED: &str = "<!doctype html>\n<title>Method not allowed</title>\n\
    <h1>405: method not allowed</h1>\n<p>This page can only be read with GET.</p>\n";
