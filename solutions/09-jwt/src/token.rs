//! JSON Web Tokens: who is logged in, signed so that no one can forge it.
//!
//! A token is three base64url parts joined by dots: a header (`{"alg":
//! "HS256","typ":"JWT"}`), the claims (`{"sub": "<user id>", "iat": …,
//! "exp": …}`) and a signature over the first two, made with the server's
//! secret. Anyone can *read* the claims: a JWT is signed, not encrypted.
//! Only someone with the secret can *make* a signature that checks out.

use std::time::Duration;

use jsonwebtoken::errors::Error as JwtError;
use jsonwebtoken::{
    Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode, get_current_timestamp,
};
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
    pub fn rules() -> Validation {
        // Only HS256 is accepted, whatever a token's header claims. Without
        // this pin, a forger could pick the algorithm (such as `none`).
        let mut validation = Validation::new(Algorithm::HS256);
        // `exp` is required and checked by default; `sub` too, from now on.
        validation.set_required_spec_claims(&["exp", "sub"]);
        // The default leeway stays: 60 s of tolerance for clocks that
        // disagree a little. Expired means "more than a minute ago".
        validation
    }

    /// A new signed token for `user_id`, valid from now for the lifetime.
    pub fn issue(&self, user_id: ObjectId) -> Result<String, JwtError> {
        let now = get_current_timestamp();
        let claims = Claims {
            sub: user_id.to_hex(),
            iat: now,
            exp: now + self.lifetime.as_secs(),
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding_key)
    }

    /// The claims of `token`, if its signature, its algorithm and its
    /// expiry all check out.
    pub fn verify(&self, token: &str) -> Result<Claims, JwtError> {
        let data = decode::<Claims>(token, &self.decoding_key, &self.validation)?;
        Ok(data.claims)
    }
}
