//! Throwaway secrets for running a lesson's server on your own machine.
//!
//! Lessons with cookies or tokens read a key from the environment
//! (`COOKIE_KEY`, `JWT_SECRET`…) and refuse to start without it. For a local
//! run, `cargo course run` makes a random one when it is not set. Which names
//! a lesson needs is read from its server's code: every string literal that
//! looks like an environment variable ending in `_KEY` or `_SECRET`.

use std::path::Path;

/// The secret names the code under `src_dir` reads, sorted, without repeats.
pub fn secret_names_in(src_dir: &Path) -> Vec<String> {
    let mut names = Vec::new();
    for file in crate::files::rust_files(src_dir) {
        if let Ok(code) = std::fs::read_to_string(&file) {
            names.extend(secret_names(&code));
        }
    }
    names.sort();
    names.dedup();
    names
}

/// String literals in `code` such as `"JWT_SECRET"` or `"COOKIE_KEY"`.
fn secret_names(code: &str) -> Vec<String> {
    code.split('"')
        .skip(1)
        .step_by(2)
        .filter(|literal| looks_like_secret_name(literal))
        .map(str::to_owned)
        .collect()
}

fn looks_like_secret_name(text: &str) -> bool {
    let shouty = text.starts_with(|c: char| c.is_ascii_uppercase())
        && text
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    shouty && (text.ends_with("_KEY") || text.ends_with("_SECRET"))
}

/// 64 random bytes as 128 hex digits. That text works however a lesson
/// reads its secret: as hex (64 bytes), as base64 (hex digits are base64
/// too: 96 bytes, enough for a 64-byte cookie key), or as raw bytes (128,
/// plenty for an HMAC secret).
pub fn random_secret() -> Result<String, String> {
    let mut bytes = [0u8; 64];
    getrandom::fill(&mut bytes).map_err(|err| err.to_string())?;
    Ok(bytes.iter().map(|byte| format!("{byte:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names_are_found_in_code() {
        let code = r#"
            let key = std::env::var("COOKIE_KEY").map_err(|_| "set COOKIE_KEY")?;
            const SECRET_VAR: &str = "JWT_SECRET";
            let port = std::env::var("PORT");
            let text = "not a NAME_KEY here";
            let header = "X_API_KEY";
        "#;
        assert_eq!(
            secret_names(code),
            ["COOKIE_KEY", "JWT_SECRET", "X_API_KEY"]
        );
    }

    #[test]
    fn random_secrets_are_long_hex_and_differ() {
        let first = random_secret().unwrap();
        let second = random_secret().unwrap();
        assert_eq!(first.len(), 128);
        assert!(first.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(first, second);
    }
}
