//! Settings for the app's cookies: the key for private cookies, and whether
//! cookies are marked `Secure`. Both come from the environment.
//!
//! The key is a secret: whoever has it can read and forge private cookies.
//! So it lives in the environment, never in the code (or in git).

use std::fmt;

use axum_extra::extract::cookie::Key;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// The environment variable that holds the key, in base64.
pub const COOKIE_KEY_VAR: &str = "COOKIE_KEY";
/// The environment variable that can switch `Secure` off.
pub const COOKIE_SECURE_VAR: &str = "COOKIE_SECURE";
/// A private cookie is encrypted with one half of the key and checked with
/// the other: 64 bytes in all.
pub const KEY_BYTES: usize = 64;

/// How the app makes its cookies.
#[derive(Clone)]
pub struct CookieConfig {
    /// Encrypts and authenticates private cookies.
    pub key: Key,
    /// Adds `Secure` to every cookie: the browser sends it back over HTTPS
    /// only (and to `http://127.0.0.1` or `http://localhost`, which browsers
    /// trust as if they were HTTPS).
    pub secure: bool,
}

impl CookieConfig {
    /// Reads `COOKIE_KEY` (required) and `COOKIE_SECURE` (optional, `true`
    /// unless set to `false`).
    pub fn from_env() -> Result<Self, ConfigError> {
        let key = match std::env::var(COOKIE_KEY_VAR) {
            Ok(text) => key_from_base64(&text)?,
            Err(_) => return Err(ConfigError::MissingKey),
        };
        let secure = match std::env::var(COOKIE_SECURE_VAR).as_deref() {
            Err(_) | Ok("true") => true,
            Ok("false") => false,
            Ok(other) => return Err(ConfigError::BadSecure(other.to_owned())),
        };
        Ok(Self { key, secure })
    }
}

/// Reads a key written in base64, such as the output of
/// `openssl rand -base64 64`.
///
/// Whitespace is skipped: `openssl` breaks its output into lines of 64
/// characters, and a pasted key often ends with a newline.
pub fn key_from_base64(text: &str) -> Result<Key, ConfigError> {
    let compact: String = text.split_whitespace().collect();
    if compact.is_empty() {
        return Err(ConfigError::MissingKey);
    }
    let bytes = STANDARD
        .decode(compact)
        .map_err(|_| ConfigError::KeyNotBase64)?;
    // `Key::try_from` refuses fewer than 64 bytes; `Key::from` would panic.
    Key::try_from(bytes.as_slice()).map_err(|_| ConfigError::KeyTooShort(bytes.len()))
}

/// Why the app cannot start. Each one prints as a single line that says
/// what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    MissingKey,
    KeyNotBase64,
    KeyTooShort(usize),
    BadSecure(String),
}

/// The command that makes a good key, quoted in the error messages.
const MAKE_A_KEY: &str = "export COOKIE_KEY=\"$(openssl rand -base64 64)\"";

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingKey => write!(
                f,
                "{COOKIE_KEY_VAR} is not set: it must hold {KEY_BYTES} random bytes in base64. \
                 Make one with: {MAKE_A_KEY}"
            ),
            Self::KeyNotBase64 => write!(
                f,
                "{COOKIE_KEY_VAR} is not valid base64. Make a new key with: {MAKE_A_KEY}"
            ),
            Self::KeyTooShort(bytes) => write!(
                f,
                "{COOKIE_KEY_VAR} holds {bytes} bytes, it needs at least {KEY_BYTES}. \
                 Make a new key with: {MAKE_A_KEY}"
            ),
            Self::BadSecure(value) => write!(
                f,
                "{COOKIE_SECURE_VAR} must be `true` or `false`, got {value:?}"
            ),
        }
    }
}

impl std::error::Error for ConfigError {}
