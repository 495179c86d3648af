//! The two cookies of this lesson, and how they are made and deleted.
//!
//! - `name`: a plain cookie. The browser stores exactly what we send, so the
//!   visitor can read it and change it. Fine for a greeting, never for
//!   anything the server must trust.
//! - `visits`: a private cookie. Its value is encrypted and authenticated
//!   with the app's key: the visitor sees gibberish and any change makes it
//!   invalid.

// TODO 1 needs `SameSite` from `axum_extra::extract::cookie` too.
use axum_extra::extract::cookie::{Cookie, PrivateCookieJar};
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
    // TODO 1: build the cookie with the five attributes listed above.
    //         Start from `Cookie::build((name, value))`, chain one method per
    //         attribute: `.http_only(true)`, `.same_site(SameSite::Lax)`,
    //         `.secure(secure)`, `.path("/")`, `.max_age(REMEMBER_FOR)`,
    //         and finish with `.build()`.
    todo!("TODO 1 in src/cookies.rs: build the cookie {name}={value} (secure: {secure})")
}

/// What to pass to `jar.remove(..)` to delete cookie `name`.
///
/// The jar answers with `Set-Cookie: name=; Path=/; Max-Age=0; Expires=<past>`.
/// The path must be the one the cookie was set with: a browser keeps cookies
/// with the same name but another path as separate cookies.
pub fn removal(name: &'static str) -> Cookie<'static> {
    // TODO 5: return a cookie with only the name and the path `/`:
    //         `Cookie::build(name).path("/").build()`. The jar fills in the
    //         empty value, `Max-Age=0` and an `Expires` date in the past.
    todo!("TODO 5 in src/cookies.rs: the cookie that removes {name}")
}

/// The visit count in the private jar, or 0 when there is none.
///
/// A `visits` cookie that was tampered with, or encrypted with another key,
/// never gets here: the jar drops every cookie it cannot decrypt, so it
/// counts as absent.
pub fn visits(private: &PrivateCookieJar) -> u64 {
    // TODO 4: `private.get(VISITS_COOKIE)` gives the decrypted cookie, if
    //         there is a valid one. Turn it into a number: `.and_then(..)`
    //         with `cookie.value().parse().ok()`, and `.unwrap_or(0)` when
    //         there is none (or it is not a number).
    todo!("TODO 4 in src/cookies.rs: read the `{VISITS_COOKIE}` count from {private:?}")
}
