//! JSON Web Tokens: who is logged in, signed so that no one can forge it.
//!
//! A token is three base64url parts joined by dots: a header (`{"alg":
//! "HS256","typ":"JWT"}`), the claims (`{"sub": "<user id>", "iat": …,
//! "exp": …}`) and a signature over the first two, made with the server's
//! secret. Anyone can *read* the claims: a JWT is signed, not encrypted.
//! Only someone with the secret can *make* a signature that checks out.

use std::time::Duration;

use jsonwebtoken::errors::Error as JwtError;
use jsonwebtoken::{DecodingKey, EncodingKey, Validation};
use mongodb::bson::oid::ObjectId;
use serde::{Deserialize, Serialize};

use crate::config::JwtSecret;

/// What a token says. The names are the registered JWT claim names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// Subject: the user's id, as 24 hex characters.
    pub sub: String,
    /// Issued at, in seconds since 1970-01-01 UTC.
    pub iat: u64,
    /// Expires at, in seconds since 1970-01-01 UTC.
    pub exp: u64,
}

/// Makes and checks tokens with one secret.
// Until TODO 3b and 3c read these fields, the compiler would warn that they
// are never read. Delete the next line then.
#[allow(dead_code)]
pub struct Tokens {
    encoding_key: EncodingKey,
    decoding_key: DecodingKey,
    validation: Validation,
    lifetime: Duration,
}

impl Tokens {
    pub fn new(secret: &JwtSecret, lifetime: Duration) -> Self {
        Self {
            encoding_key: EncodingKey::from_secret(secret.as_bytes()),
            decoding_key: DecodingKey::from_secret(secret.as_bytes()),
            validation: Self::rules(),
            lifetime,
        }
    }

    /// What a token must be, besides signed with our secret: an HS256
    /// token with a `sub` and an `exp` still in the future.
    // TODO 3a: Accept HS256 tokens only, and only with a `sub` and an `exp` not yet past.
    //   A token's header names its algorithm, and whoever made the token wrote
    //   that header: these rules decide, not the token. A token without `exp`
    //   would never expire; one without `sub` names no one. Keep jsonwebtoken's
    //   60 s of leeway for clocks that disagree. Read: notes, step 6
    //   "Tokens"; docs.rs: `jsonwebtoken::Validation`.
    pub fn rules() -> Validation {
        todo!("TODO 3a: pin the algorithm and the required claims")
    }

    /// A new signed token for `user_id`, valid from now for the lifetime.
    // TODO 3b: Sign a token that names `user_id` and expires `self.lifetime` from now.
    //   Its claims are the `Claims` above, and nothing else: anyone who holds
    //   a token can read them. Sign with the algorithm the rules accept, and
    //   this server's key. Rename `_user_id` when you use it. Read: notes,
    //   step 6; docs.rs: `jsonwebtoken::encode`, `get_current_timestamp`.
    pub fn issue(&self, _user_id: ObjectId) -> Result<String, JwtError> {
        todo!("TODO 3b: sign a token for the user")
    }

    /// The claims of `token`, if its signature, its algorithm and its
    /// expiry all check out.
    // TODO 3c: Give the claims of a token whose signature and claims pass the rules, else the error.
    //   Pass jsonwebtoken's error on as it is: the middleware (TODO 6) reads
    //   its kind to tell an expired token from a bad one. Rename `_token`
    //   when you use it. Read: notes, step 6; docs.rs: `jsonwebtoken::decode`.
    pub fn verify(&self, _token: &str) -> Result<Claims, JwtError> {
        todo!("TODO 3c: check a token and return its claims")
    }
}
