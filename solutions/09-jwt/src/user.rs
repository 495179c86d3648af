//! A user, in the same steps as a message:
//!
//! - [`Credentials`]: the email and password as received, not checked yet;
//! - [`NewUser`]: a sign-up that passed [`Credentials::validate`];
//! - [`User`]: a document of the `users` collection, with a password hash
//!   and never the password;
//! - [`UserJson`]: a user as the API shows it: id and email, nothing else.

use mongodb::bson::DateTime;
use mongodb::bson::oid::ObjectId;
use serde::{Deserialize, Serialize};

use crate::ApiError;
use crate::auth::CurrentUser;
use crate::password::Passwords;

/// The shortest password accepted (NIST SP 800-63B asks for at least 8).
pub const PASSWORD_MIN_CHARS: usize = 8;
/// The longest: long passphrases are welcome, megabytes of text are not.
pub const PASSWORD_MAX_CHARS: usize = 128;

/// One document of the `users` collection.
///
/// No `Debug`: a stray `{:?}` in a log line should not print a hash.
#[derive(Clone, Serialize, Deserialize)]
pub struct User {
    #[serde(rename = "_id")]
    pub id: ObjectId,
    /// Trimmed and lower-cased: `Ada@Example.com` and `ada@example.com`
    /// are one account. The unique index is on this field.
    pub email: String,
    /// The argon2id hash, as a PHC string: `$argon2id$v=19$m=19456,…`.
    pub password_hash: String,
    pub created_at: DateTime,
}

/// The body of `POST /register` and `POST /login`, as JSON or as a form:
/// `{"email": "ada@example.com", "password": "…"}`.
///
/// Both fields are `String`, so `{"email": {"$ne": null}}` never becomes
/// `Credentials`. No `Debug`, so the password cannot end up in a log.
#[derive(Deserialize)]
pub struct Credentials {
    pub email: String,
    pub password: String,
}

/// A sign-up that passed the checks. Its fields are private: the only way
/// to make one is [`Credentials::validate`].
pub struct NewUser {
    email: String,
    password: String,
}

/// A user as the API shows it: `{"id": "65e…", "email": "ada@example.com"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserJson {
    pub id: String,
    pub email: String,
}

impl Credentials {
    /// Checks a sign-up: the email looks like an address, the password is
    /// 8 to 128 characters long and is not the email. Length is what makes
    /// a password strong; rules such as "one digit" mostly make passwords
    /// harder to remember. Fails with a `422` that names the field.
    pub fn validate(self) -> Result<NewUser, ApiError> {
        let email = normalize_email(&self.email);
        if !looks_like_an_email(&email) {
            return Err(ApiError::validation(
                "email",
                "email must look like an address, such as ada@example.com",
            ));
        }
        let length = self.password.chars().count();
        if length < PASSWORD_MIN_CHARS {
            return Err(ApiError::validation(
                "password",
                format!("password must be at least {PASSWORD_MIN_CHARS} characters long"),
            ));
        }
        if length > PASSWORD_MAX_CHARS {
            return Err(ApiError::validation(
                "password",
                format!("password must be at most {PASSWORD_MAX_CHARS} characters long"),
            ));
        }
        if normalize_email(&self.password) == email {
            return Err(ApiError::validation(
                "password",
                "password must not be your email address",
            ));
        }
        Ok(NewUser {
            email,
            password: self.password,
        })
    }
}

impl NewUser {
    /// Hashes the password (the slow part) and gives the document to store.
    pub async fn into_user(self, passwords: &Passwords) -> Result<User, ApiError> {
        let password_hash = passwords.hash(self.password).await?;
        Ok(User {
            id: ObjectId::new(),
            email: self.email,
            password_hash,
            created_at: DateTime::now(),
        })
    }
}

impl From<&User> for UserJson {
    fn from(user: &User) -> Self {
        Self {
            id: user.id.to_hex(),
            email: user.email.clone(),
        }
    }
}

impl From<&CurrentUser> for UserJson {
    fn from(user: &CurrentUser) -> Self {
        Self {
            id: user.id.to_hex(),
            email: user.email.clone(),
        }
    }
}

/// An email as it is stored and looked up: without surrounding spaces, in
/// lower case.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// A light check, not a full address parser: one `@`, something before it,
/// a domain with a dot after it (`example.com`), no spaces.
/// The only real test of an address is sending it an email.
pub fn looks_like_an_email(email: &str) -> bool {
    let Some((local_part, domain)) = email.split_once('@') else {
        return false;
    };
    !local_part.is_empty()
        && email.len() <= 254
        && !email.contains(char::is_whitespace)
        && !domain.contains('@')
        && domain.contains('.')
        && domain.split('.').all(|label| !label.is_empty())
}
