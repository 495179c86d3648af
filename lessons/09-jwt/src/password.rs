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

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use argon2::password_hash::Error as HashError;
use argon2::{Argon2, Params};

use crate::ApiError;

/// Hashes `password` with argon2id and the given cost, under a fresh random
/// salt, and returns the PHC string to store.
// TODO 2a: Hash `password` with argon2id at the cost `params`, under a new random salt.
//   Return the PHC string, which records the algorithm, the cost and the
//   salt, so that the hash can be checked later. The method that hashes
//   belongs to a trait: it exists only where the trait is in scope. Rename
//   the parameters when you use them. Read: notes, step 4 "Hashing
//   passwords"; docs.rs for argon2 0.6 (older versions differ):
//   `argon2::Argon2::new`, `argon2::PasswordHasher`.
pub fn hash_password(_password: &str, _params: &Params) -> Result<String, HashError> {
    todo!("TODO 2a: hash the password with argon2id")
}

/// Hashing and checking, off the async threads. Cheap to clone: the clones
/// share the dummy hash and the count of checks.
///
/// argon2 keeps a CPU core busy for tens of milliseconds. Done directly in
/// a handler, it would stall every other request on that thread, so the
/// work goes to Tokio's thread pool for blocking jobs.
#[derive(Clone)]
pub struct Passwords {
    params: Params,
    /// A hash of no one's password, to check against when the user does
    /// not exist (see [`Passwords::check`]). Made on first use.
    dummy_hash: Arc<OnceLock<String>>,
    /// How many times argon2 checked a password: see [`Passwords::checks`].
    checks: Arc<AtomicU64>,
}

impl Passwords {
    pub fn new(params: Params) -> Self {
        Self {
            params,
            dummy_hash: Arc::new(OnceLock::new()),
            checks: Arc::new(AtomicU64::new(0)),
        }
    }

    /// The cost of each new hash.
    pub fn params(&self) -> &Params {
        &self.params
    }

    /// The PHC string for a new password.
    pub async fn hash(&self, password: String) -> Result<String, ApiError> {
        let params = self.params.clone();
        run_blocking(move || hash_password(&password, &params))
            .await
            .map_err(|err| ApiError::internal(format_args!("cannot hash a password: {err}")))
    }

    /// Whether `password` matches `stored_hash` (`None`: no such user), on
    /// the blocking pool. See [`Passwords::check`].
    pub async fn verify(&self, password: String, stored_hash: Option<String>) -> bool {
        let passwords = self.clone();
        run_blocking(move || passwords.check(&password, stored_hash.as_deref())).await
    }

    /// Whether `password` matches a stored PHC string. The cost and the
    /// salt are read from the string itself, so hashes made with other
    /// settings still verify.
    ///
    /// A stored hash that does not parse matches nothing: a damaged record
    /// must lock its account, never open it (fail closed).
    // TODO 2b: Answer whether `password` matches a stored PHC string; a damaged one matches nothing.
    //   The cost and the salt come from the stored string. A stored hash that
    //   does not parse must not let anyone in, nor crash the request: log it,
    //   answer `false`. Check with the engine `self.verifier()` gives, which
    //   counts each check for the tests. Rename the parameters when you use
    //   them. Read: notes, step 4; docs.rs: `argon2::PasswordHash::new`,
    //   `argon2::PasswordVerifier`.
    pub fn matches(&self, _password: &str, _stored_hash: &str) -> bool {
        todo!("TODO 2b: check a password against a stored hash")
    }

    /// Whether `password` matches `stored_hash`, where `None` means "no
    /// such user".
    ///
    /// With no stored hash it still does the same work, against a dummy
    /// hash, and answers `false`: otherwise "no such user" would answer
    /// faster than "wrong password", and the time an answer takes would
    /// tell an attacker which emails have an account.
    // TODO 2c: With no stored hash (no such user), do the work of a real check, and answer false.
    //   With a stored hash, the answer is what `matches` says. With none, an
    //   answer that comes sooner would tell anyone, by its timing alone, that
    //   the email has no account. `self.dummy_hash()` is a real hash of a
    //   password no one has. Rename the parameters when you use them. Read:
    //   notes, "Passwords are hashed, never stored" and step 4.
    pub fn check(&self, _password: &str, _stored_hash: Option<&str>) -> bool {
        todo!("TODO 2c: the same work for a user who does not exist")
    }

    /// The argon2 engine that checks a password. Its default settings do:
    /// the real ones come from the stored PHC string.
    ///
    /// Each call counts one check. That count is how the tests see that an
    /// unknown email costs the same argon2 work as a wrong password, without
    /// measuring time, which a busy machine makes unreliable.
    pub fn verifier(&self) -> Argon2<'static> {
        self.checks.fetch_add(1, Ordering::Relaxed);
        Argon2::default()
    }

    /// How many password checks argon2 has run so far, in this value and
    /// its clones.
    pub fn checks(&self) -> u64 {
        self.checks.load(Ordering::Relaxed)
    }

    /// A real argon2id hash, at this cost, of a password no one has.
    pub fn dummy_hash(&self) -> &str {
        self.dummy_hash.get_or_init(|| {
            hash_password("no one's password", &self.params).expect("argon2 hashes a short text")
        })
    }
}

/// Shows the cost only: there is nothing secret in it, but nothing useful
/// in the rest either.
impl fmt::Debug for Passwords {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Passwords")
            .field("params", &self.params)
            .finish_non_exhaustive()
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
