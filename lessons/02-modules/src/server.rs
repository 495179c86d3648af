//! The network side: accept connections, read requests, send responses.
//!
//! The module is private; `lib.rs` re-exports `serve` (TODO 6), so users
//! write `lesson_02_modules::serve`.

// TODO 5: Move the functions `serve` and `handle` from `src/main.rs` into
//         this file.
//         - `serve` must be `pub`: `lib.rs` re-exports it (TODO 6).
//         - `handle` stays private: only `serve` calls it.
//         - `handle` calls `route`: import it with `use crate::routes::route;`
//         - `handle` returns `HttpResponse`, which the crate root
//           re-exports: `use super::HttpResponse;` (`super` is the parent
//           module, here the crate root).
//         - move the `use` lines both functions need as well (`Infallible`,
//           `Request`, `Incoming`, `http1`, `service_fn`, `TokioIo`,
//           `TcpListener`). The compiler names every one you forget.
