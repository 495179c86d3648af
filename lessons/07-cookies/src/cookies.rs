//! The two cookies of this lesson, and how they are made and deleted.
//!
//! - `name`: a plain cookie. The browser stores exactly what we send, so the
//!   visitor can read it and change it. Fine for a greeting, never for
//!   anything the server must trust.
//! - `visits`: a private cookie. Its value is encrypted and authenticated
//!   with the app's key: the visitor sees gibberish and any change makes it
//!   invalid.

use axum_extra::extract::cookie::{Cookie, PrivateCookieJar};
use time::Duration;

/// The plain cookie with the visitor's name.
pub const NAME_COOKIE: &str = "name";
/// The private cookie with the number of visits.
pub const VISITS_COOKIE: &str = "visits";
/// How long the browser keeps our cookies: 30 days.
pub const REMEMBER_FOR: Duration = Duration::days(30);

/// A cookie the browser keeps for [`REMEMBER_FOR`], with the protections
/// every cookie of ours carries. Both `name` and `visits` are made here.
pub fn long_lived(_name: &'static str, _value: String, _secure: bool) -> Cookie<'static> {
    // TODO 1: make cookie `name`=`value` safe to keep for 30 days: you choose its attributes.
    //   When it is done, the cookie:
    //   - cannot be read by a script in the page (an injected script cannot steal it);
    //   - is left out when a form on another site posts here, yet a visitor
    //     who follows a link to us from another site is still greeted;
    //   - travels over HTTPS only, whenever `secure` is true (the config
    //     decides: see `CookieConfig::secure` in src/config.rs);
    //   - reaches every page of the site, not only the path that set it;
    //   - survives closing the browser, for `REMEMBER_FOR`;
    //   - goes back to this exact host only, never to its subdomains (§4
    //     says which attribute would widen that, and what leaving it out
    //     means).
    //   Read notes §"The attributes, and what each one is for" and §4 "The
    //   attributes"; docs.rs: `axum_extra::extract::cookie::CookieBuilder`.
    //   Rename `_name`, `_value` and `_secure` once you use them.
    todo!("TODO 1: build the cookie with the attributes you chose")
}

/// The visit count in the private jar, or 0 when there is none.
pub fn visits(_private: &PrivateCookieJar) -> u64 {
    // TODO 4: the count the private `visits` cookie holds, or 0 when there is none to trust.
    //   No `visits` cookie, one that was tampered with, one made with another
    //   key, one that holds no number: each is a visitor who starts again at
    //   0, never an error page (notes §8 "The private jar in a handler").
    //   docs.rs: `PrivateCookieJar::get`, `str::parse`, `Option::and_then`.
    //   Rename `_private` once you use it.
    todo!("TODO 4: read the visit count from the private jar")
}

/// What to pass to `jar.remove(..)` to delete cookie `name`.
pub fn removal(_name: &'static str) -> Cookie<'static> {
    // TODO 5: describe cookie `name` so that `jar.remove(..)` deletes the one `long_lived` set.
    //   The jar writes the rest of the removal itself (empty value,
    //   `Max-Age=0`, an `Expires` date in the past). What it cannot guess is
    //   how the browser tells our cookie apart from another one with the same
    //   name: read notes §"Deleting a cookie" and §5.
    //   Rename `_name` once you use it.
    todo!("TODO 5: the cookie that deletes one of ours")
}
