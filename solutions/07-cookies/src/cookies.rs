//! The two cookies of this lesson, and how they are made and deleted.
//!
//! - `name`: a plain cookie. The browser stores exactly what we send, so the
//!   visitor can read it and change it. Fine for a greeting, never for
//!   anything the server must trust.
//! - `visits`: a private cookie. Its value is encrypted and authenticated
//!   with the app's key: the visitor sees gibberish and any change makes it
//!   invalid.

use axum_extra::extract::cookie::{Cookie, SameSite};
use time::Duration;

/// The plain cookie with the visitor's name.
pub const NAME_COOKIE: &str = "name";
/// The private cookie with the number of visits.
pub const VISITS_COOKIE: &str = "visits";
/// How long the browser keeps our cookies: 30 days.
pub const REMEMBER_FOR: Duration = Duration::days(30);

/// A cookie the browser keeps for [`REMEMBER_FOR`], with the attributes
/// every cookie of ours carries:
///
/// - `HttpOnly`: page scripts (`document.cookie`) cannot read it, so a
///   script injected into a page cannot steal it.
/// - `SameSite=Lax`: the browser leaves it out of requests that another
///   site starts in the background, such as a form on evil.example posting
///   here. Following a link to us from elsewhere still sends it.
/// - `Secure` (when `secure` is true): sent back over HTTPS only.
/// - `Path=/`: sent with every request to this site, not only to the path
///   that set it (here `/remember`).
/// - `Max-Age`: how many seconds the browser keeps it. Without it, the
///   cookie is gone when the browser closes.
pub fn long_lived(name: &'static str, value: String, secure: bool) -> Cookie<'static> {
    Cookie::build((name, value))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .path("/")
        .max_age(REMEMBER_FOR)
        .build()
}

/// The visit count a `visits` cookie holds, or 0 when there is no cookie
/// or it holds no number.
///
/// Whether the count can be trusted is decided before: by the jar the
/// cookie comes from (see `routes::home`).
pub fn visits(cookie: Option<&Cookie<'_>>) -> u64 {
    cookie
        .and_then(|cookie| cookie.value().parse().ok())
        .unwrap_or(0)
}

/// What to pass to `jar.remove(..)` to delete cookie `name`.
///
/// The jar answers with `Set-Cookie: name=; Path=/; Max-Age=0; Expires=<past>`.
/// The path must be the one the cookie was set with: a browser keeps cookies
/// with the same name but another path as separate cookies.
pub fn removal(name: &'static str) -> Cookie<'static> {
    Cookie::build(name).path("/").build()
}
