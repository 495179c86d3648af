//! `GET /messages?limit=10&skip=20`: which page of the list to show.

use serde::Deserialize;

use crate::ApiError;

/// Messages in one page when the client does not say.
pub const DEFAULT_LIMIT: u32 = 20;
/// The most messages one page may hold.
pub const MAX_LIMIT: u32 = 100;

/// The query string as the client typed it. The values are kept as text,
/// so that `limit=ten` gets an error about `limit`, in our words.
#[derive(Debug, Clone, Deserialize)]
pub struct PageQuery {
    pub limit: Option<String>,
    pub skip: Option<String>,
}

/// A checked page: at most `limit` messages, after the first `skip`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub limit: u32,
    pub skip: u32,
}

impl PageQuery {
    /// `limit` is a whole number from 1 to [`MAX_LIMIT`] (default
    /// [`DEFAULT_LIMIT`]); `skip` a whole number from 0 (default 0).
    /// Anything else is a `422` naming the parameter.
    pub fn validate(self) -> Result<Page, ApiError> {
        let limit = match self.limit {
            None => DEFAULT_LIMIT,
            Some(text) => match text.parse::<u32>() {
                Ok(limit @ 1..=MAX_LIMIT) => limit,
                _ => {
                    return Err(ApiError::validation(
                        "limit",
                        format!("limit must be a whole number from 1 to {MAX_LIMIT}, got {text:?}"),
                    ));
                }
            },
        };
        let skip = match self.skip {
            None => 0,
            Some(text) => text.parse::<u32>().map_err(|_| {
                ApiError::validation(
                    "skip",
                    format!("skip must be a whole number, 0 or more, got {text:?}"),
                )
            })?,
        };
        Ok(Page { limit, skip })
    }
}
