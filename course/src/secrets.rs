//! Throwaway secrets for running a lesson's server on your own machine.
//!
//! Lessons with cookies or tokens read a key from the environment
//! (`COOKIE_KEY`, `JWT_SECRET`…) and refuse to start without it. For a local
//! run, `cargo course run` makes a random one when it is not set. Which names
//! a lesson needs, its exercise's `Cargo.toml` says
//! (`[package.metadata.course] secrets`).

/// 64 random bytes as 128 hex digits. That text works however a lesson
/// reads its secret: as hex (64 bytes), as base64 (hex digits are base64
/// too: 96 bytes, enough for a 64-byte cookie key), or as raw bytes (128,
/// plenty for an HMAC secret).
pub fn random_secret() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 64];
    getrandom::fill(&mut bytes)?;
    Ok(bytes.iter().map(|byte| format!("{byte:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_secrets_are_long_hex_and_differ() {
        let first = random_secret().unwrap();
        let second = random_secret().unwrap();
        assert_eq!(first.len(), 128);
        assert!(first.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(first, second);
    }
}
