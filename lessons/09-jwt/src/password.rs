//! Passwords: hashed with argon2id, never stored or logged as they were typed.
//!
//! A hash is one-way: the server can check a password against it but cannot
//! turn it back into the password. argon2id is slow and memory-hungry on
//! purpose, so that guessing billions of passwords from a stolen database
//! costs an attacker years instead of minutes. Each hash gets its own random
//! salt, so two users with the same password get different hashes.
//!
//! The result is a PHC string that carries everything needed to check it:
//! `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`.

use std::sync::{Arc, OnceLock};

use argon2::Params;
use argon2::password_hash::Error as HashError;
// TODO 2 needs more of argon2:
// use argon2::{Algorithm, Argon2, PasswordHash, PasswordHasher, PasswordVerifier, Version};

use crate::ApiError;

/// Hashes `password` with argon2id and the given cost, under a fresh random
/// salt, and returns the PHC string to store.
pub fn hash_password(password: &str, params: &Params) -> Result<String, HashError> {
    // TODO 2a: make an `Argon2::new(Algorithm::Argon2id, Version::V0x13,
    //          params.clone())`, call its `hash_password(password.as_bytes())`
    //          (a method of the `PasswordHasher` trait, which picks a random
    //          salt), pass its error on with `?`, and return the hash
    //          `.to_string()`: that is the PHC string.
    // Replace these two lines (the first one only keeps the compiler from
    // warning about unused values meanwhile).
    let _ = (password, params);
    todo!("TODO 2a: hash the password with argon2id")
}

/// Checks `password` against a stored PHC string. The cost and the salt are
/// read from the string itself, so hashes made with other settings still
/// verify.
pub fn verify_password(password: &str, stored_hash: &str) -> bool {
    // TODO 2b: parse `stored_hash` with `PasswordHash::new` (answer `false`
    //          if it does not parse), then answer whether
    //          `Argon2::default().verify_password(password.as_bytes(), &parsed)`
    //          is `Ok` (a method of the `PasswordVerifier` trait).
    // Replace these two lines (the first one only keeps the compiler from
    // warning about unused values meanwhile).
    let _ = (password, stored_hash);
    todo!("TODO 2b: check the password against the stored hash")
}

/// Hashing and checking, off the async threads. Cheap to clone.
///
/// argon2 keeps a CPU core busy for tens of milliseconds. Done directly in
/// a handler, it would stall every other request on that thread, so the
/// work goes to Tokio's thread pool for blocking jobs.
#[derive(Clone)]
pub struct Passwords {
    params: Params,
    /// A hash of no one's password, to check against when the user does
    /// not exist (see [`Passwords::verify`]). Made on first use.
    dummy_hash: Arc<OnceLock<String>>,
}

impl Passwords {
    pub fn new(params: Params) -> Self {
        Self {
            params,
            dummy_hash: Arc::new(OnceLock::new()),
        }
    }

    /// The PHC string for a new password.
    pub async fn hash(&self, password: String) -> Result<String, ApiError> {
        let params = self.params.clone();
        run_blocking(move || hash_password(&password, &params))
            .await
            .map_err(|err| {
                tracing::error!("cannot hash a password: {err}");
                ApiError::internal()
            })
    }

    /// Whether `password` matches `stored_hash`.
    ///
    /// With no stored hash (no such user), it still does the same work
    /// against a dummy hash and answers `false`: otherwise "no such user"
    /// would answer faster than "wrong password", and the time an answer
    /// takes would tell an attacker which emails have an account.
    pub async fn verify(&self, password: String, stored_hash: Option<String>) -> bool {
        let passwords = self.clone();
        run_blocking(move || match stored_hash {
            Some(stored_hash) => verify_password(&password, &stored_hash),
            None => {
                verify_password(&password, passwords.dummy_hash());
                false
            }
        })
        .await
    }

    fn dummy_hash(&self) -> &str {
        self.dummy_hash.get_or_init(|| {
            hash_password("no one's password", &self.params).expect("argon2 hashes a short text")
        })
    }
}

/// Runs CPU-heavy `work` on Tokio's blocking thread pool and waits for it.
/// A panic in `work` carries on in the caller, with its own message.
async fn run_blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    match tokio::task::spawn_blocking(work).await {
        Ok(value) => value,
        Err(err) => std::panic::resume_unwind(err.into_panic()),
    }
}
