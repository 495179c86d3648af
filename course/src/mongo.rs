//! Finding a MongoDB for the lessons that need one.
//!
//! In this order: the server named by `MONGODB_URI`; a server already
//! answering on this machine at `mongodb://127.0.0.1:27017`; otherwise one
//! started in Docker by the test support (`test_mongodb::mongodb_uri`), the
//! same container the tests use. That container is kept after the runner
//! stops, so the next start is instant; `cargo course mongo stop` removes it.

use std::time::Duration;

use mongodb::bson::doc;
use mongodb::options::ClientOptions;

/// Where lesson servers look for MongoDB when `MONGODB_URI` is not set.
pub const LOCAL_URI: &str = "mongodb://127.0.0.1:27017";
/// The image started in Docker unless `MONGODB_IMAGE` names another.
pub const DEFAULT_IMAGE: &str = "mongo:8.0";

/// A MongoDB to use, and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Server {
    /// Named by `MONGODB_URI`.
    Configured(String),
    /// Already answering at [`LOCAL_URI`].
    Local,
    /// Started (or found running) in Docker by the course.
    Docker(String),
}

impl Server {
    pub fn uri(&self) -> &str {
        match self {
            Server::Configured(uri) | Server::Docker(uri) => uri,
            Server::Local => LOCAL_URI,
        }
    }

    /// One sentence on where it comes from.
    pub fn describe(&self) -> String {
        match self {
            Server::Configured(uri) => format!("the MongoDB at {uri} (from MONGODB_URI)"),
            Server::Local => format!("the MongoDB already running at {LOCAL_URI}"),
            Server::Docker(uri) => format!(
                "a MongoDB in Docker at {uri} ({}); it keeps running after this command \
                 so the next start is instant: `cargo course mongo stop` removes it",
                image()
            ),
        }
    }
}

/// `MONGODB_URI`, when set to something.
pub fn configured_uri() -> Option<String> {
    std::env::var("MONGODB_URI")
        .ok()
        .filter(|uri| !uri.trim().is_empty())
}

/// The image the course starts: `MONGODB_IMAGE`, or `mongo:8.0`.
pub fn image() -> String {
    std::env::var("MONGODB_IMAGE")
        .ok()
        .filter(|image| !image.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_IMAGE.to_owned())
}

/// A MongoDB that answers now, without starting one.
pub fn running_server() -> Option<Server> {
    match configured_uri() {
        Some(uri) => Some(Server::Configured(uri)),
        None => ping_blocking(LOCAL_URI).ok().map(|()| Server::Local),
    }
}

/// A MongoDB that answers now, or one started in Docker.
pub fn find_or_start() -> Result<Server, String> {
    if let Some(server) = running_server() {
        return Ok(server);
    }
    start_in_docker().map(Server::Docker).map_err(|message| {
        format!(
            "no MongoDB answers at {LOCAL_URI}, and none could be started in Docker.\n{message}"
        )
    })
}

/// Starts (or finds) the course's MongoDB container with the test support's
/// code, and returns its URI. That code reports failure by panicking with a
/// message made for people; the message is caught and returned instead.
pub fn start_in_docker() -> Result<String, String> {
    let quiet_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let started = std::panic::catch_unwind(test_mongodb::mongodb_uri);
    std::panic::set_hook(quiet_hook);
    match started {
        Ok(uri) => Ok(uri.to_owned()),
        Err(payload) => Err(payload
            .downcast_ref::<String>()
            .map(|message| message.trim().to_owned())
            .or_else(|| payload.downcast_ref::<&str>().map(|m| (*m).to_owned()))
            .unwrap_or_else(|| "MongoDB could not be started in Docker".to_owned())),
    }
}

/// Whether a MongoDB answers a `ping` at `uri` within two seconds.
pub async fn ping(uri: &str) -> Result<(), String> {
    let mut options = ClientOptions::parse(uri)
        .await
        .map_err(|err| err.to_string())?;
    options.server_selection_timeout = Some(Duration::from_secs(2));
    options.connect_timeout = Some(Duration::from_secs(2));
    options.app_name = Some("cargo-course".to_owned());
    let client = mongodb::Client::with_options(options).map_err(|err| err.to_string())?;
    client
        .database("admin")
        .run_command(doc! { "ping": 1 })
        .await
        .map(drop)
        .map_err(|err| first_line(&err.to_string()))
}

/// [`ping`] for code that is not async.
pub fn ping_blocking(uri: &str) -> Result<(), String> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|err| err.to_string())?
        .block_on(ping(uri))
}

/// Driver errors can run over many lines; the first says what happened.
fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or(text);
    // Server selection errors end with a long topology dump.
    line.split(", Topology:").next().unwrap_or(line).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn servers_give_their_uri() {
        assert_eq!(Server::Local.uri(), "mongodb://127.0.0.1:27017");
        let docker = Server::Docker("mongodb://localhost:32768".to_owned());
        assert_eq!(docker.uri(), "mongodb://localhost:32768");
        assert!(docker.describe().contains("cargo course mongo stop"));
    }

    #[test]
    fn nobody_answers_on_a_closed_port() {
        // Port 9 (discard) is closed on any sane machine.
        assert!(ping_blocking("mongodb://127.0.0.1:9").is_err());
        assert!(ping_blocking("not a uri").is_err());
    }

    #[test]
    fn long_driver_errors_are_cut_to_their_first_line() {
        assert_eq!(
            first_line("Server selection timeout: No available servers, Topology: { lots }\nmore"),
            "Server selection timeout: No available servers"
        );
    }
}
