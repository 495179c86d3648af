//! The two cookies of this lesson, and how they are made and deleted.
//!
//! - `name`: a plain cookie. The browser stores exactly what we send, so the
//!   visitor can read it and change it. Fine for a greeting, never for
//!   anything the server must trust.
//! - `visits`: the number of visits. The server must be able to trust it,
//!   so the visitor must neither read nor change it: where it is kept is
//!   TODO 4b, in src/routes.rs.

use axum_extra::extract::cookie::Cookie;
use time::Duration;

/// The plain cookie with the visitor's name.
pub const NAME_COOKIE: &str = "name";
/// The cookie with the number of visits.
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

/// The visit count a `visits` cookie holds, or 0 when there is no cookie
/// or it holds no number.
pub fn visits(_cookie: Option<&Cookie<'_>>) -> u64 {
    // TODO 4a: the number the `visits` cookie holds, or 0 when there is no cookie or no number in it.
    //   A cookie that holds `lots`, `-3` or nothing at all is a visitor who
    //   starts again at 0, never a panic and never an error page (notes §8
    //   "A jar with a key, in a handler"). Whether the cookie can be trusted
    //   is not decided here: that is TODO 4b, in `routes::home`.
    //   docs.rs: `Cookie::value`, `str::parse`, `Option::and_then`.
    //   Rename `_cookie` once you use it.
    todo!("TODO 4a: read the visit count from the cookie")
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
