//! Settings for authentication: the signing secret, how long a log-in lasts,
//! and how hard argon2 works on each password.
//!
//! The secret comes from the environment, never from the code: anyone who
//! reads the code (or the git history) could otherwise sign their own tokens.

use std::fmt;
use std::time::Duration;

use crate::password::Passwords;

/// The environment variable that holds the secret.
pub const JWT_SECRET_VAR: &str = "JWT_SECRET";
/// The environment variable that can switch `Secure` off (as in lesson 07).
pub const COOKIE_SECURE_VAR: &str = "COOKIE_SECURE";

/// The key that signs and checks tokens (HMAC-SHA256).
///
/// `Debug` prints `JwtSecret(..)`, so the secret never lands in a log.
#[derive(Clone)]
pub struct JwtSecret(Vec<u8>);

impl JwtSecret {
    /// HS256 uses a 256-bit (32-byte) key: a shorter one is easier to guess
    /// by brute force, from any single token an attacker holds.
    pub const MIN_BYTES: usize = 32;

    /// Accepts a secret of at least [`Self::MIN_BYTES`] bytes.
    // TODO 1: Refuse a secret that cannot protect the tokens: none, or too short.
    //   Each refusal is one of the `ConfigError` variants below, which
    //   `main.rs` prints as one line that says what to do, before it starts.
    //   A key is measured in bytes. Rename `_secret` to `secret` when you use
    //   it. Read: notes, "Why the notes' secret is a vulnerability" and step 2.
    pub fn new(_secret: impl Into<Vec<u8>>) -> Result<Self, ConfigError> {
        todo!("TODO 1: refuse a missing or short secret")
    }

    /// Reads the secret from `JWT_SECRET`.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::new(std::env::var(JWT_SECRET_VAR).unwrap_or_default())
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for JwtSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JwtSecret(..)")
    }
}

/// Everything authentication needs to know.
#[derive(Debug, Clone)]
pub struct AuthConfig {
    pub jwt_secret: JwtSecret,
    /// How long a log-in lasts: the token's `exp` and the cookie's `Max-Age`.
    pub token_lifetime: Duration,
    /// Hashes and checks passwords; its `params` say how much memory and
    /// time argon2 spends on each one.
    pub passwords: Passwords,
    /// Adds `Secure` to the cookie: the browser sends it back over HTTPS
    /// only (and to `http://127.0.0.1` or `http://localhost`, which browsers
    /// and curl trust as if they were HTTPS).
    pub secure_cookies: bool,
}

impl AuthConfig {
    /// One hour: a stolen token is useful for an hour at most.
    pub const TOKEN_LIFETIME: Duration = Duration::from_secs(60 * 60);

    /// The production settings. argon2's defaults are exactly what OWASP
    /// recommends for argon2id: 19 MiB of memory, 2 passes, 1 lane.
    pub fn new(jwt_secret: JwtSecret) -> Self {
        Self {
            jwt_secret,
            token_lifetime: Self::TOKEN_LIFETIME,
            passwords: Passwords::new(argon2::Params::DEFAULT),
            secure_cookies: true,
        }
    }

    /// The production settings, with the secret from `JWT_SECRET` (required)
    /// and `COOKIE_SECURE` (optional, `true` unless set to `false`).
    pub fn from_env() -> Result<Self, ConfigError> {
        let secure_cookies = match std::env::var(COOKIE_SECURE_VAR).as_deref() {
            Err(_) | Ok("true") => true,
            Ok("false") => false,
            Ok(other) => return Err(ConfigError::BadSecure(other.to_owned())),
        };
        Ok(Self {
            secure_cookies,
            ..Self::new(JwtSecret::from_env()?)
        })
    }
}

/// Why the server refuses to start. Each message is one line that says
/// what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    MissingSecret,
    SecretTooShort { bytes: usize },
    BadSecure(String),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingSecret => write!(
                f,
                "{JWT_SECRET_VAR} is not set: set it to a random value of at least {} bytes, \
                 such as: export {JWT_SECRET_VAR}=$(openssl rand -hex 32)",
                JwtSecret::MIN_BYTES
            ),
            Self::SecretTooShort { bytes } => write!(
                f,
                "{JWT_SECRET_VAR} is only {bytes} bytes long: it needs at least {} random bytes, \
                 such as: export {JWT_SECRET_VAR}=$(openssl rand -hex 32)",
                JwtSecret::MIN_BYTES
            ),
            Self::BadSecure(value) => write!(
                f,
                "{COOKIE_SECURE_VAR} must be `true` or `false`, got {value:?}"
            ),
        }
    }
}

impl std::error::Error for ConfigError {}
