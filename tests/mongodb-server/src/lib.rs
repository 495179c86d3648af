//! Finds or starts the MongoDB that the course's tests and `cargo course`
//! share, and says which one it used.
//!
//! The ways, tried in this order:
//! 1. `MONGODB_URI`, when set: that server, and nothing is started.
//! 2. A server the course started earlier and that still answers a `ping`.
//!    The course records the servers it starts in a small state file in the
//!    user's cache folder (`~/.cache/rust-course/mongodb.json` on Linux).
//! 3. A MongoDB of the user's own, already answering at [`LOCAL_URI`].
//! 4. Docker, when a daemon answers and the image (`MONGODB_IMAGE`, default
//!    `mongo:8.0`) is on the machine or can be pulled: a container kept
//!    between runs. A pull that fails goes on to the next way.
//! 5. FerretDB, a MongoDB-compatible server, when Go is installed: built once
//!    from the pinned sources in `ferretdb/` into the cache folder, then
//!    started detached on a free loopback port with its data in the cache
//!    folder. A file lock makes parallel test binaries share one build and
//!    one server.
//! 6. Otherwise, at once, an [`Error`] that names the ways out.
//!
//! Slow steps (pulling, building, starting) print a progress line on
//! stderr; the caller prints which server it got ([`Server::describe`]).
//! [`stop`] stops whichever server the course started.

mod docker;
mod ferretdb;
mod state;

use std::fmt;
use std::future::Future;
use std::io::Write;
use std::net::{TcpStream, ToSocketAddrs};
use std::path::PathBuf;
use std::time::Duration;

use mongodb::bson::doc;
use mongodb::options::ClientOptions;
use serde::{Deserialize, Serialize};

pub use docker::{
    COURSE_LABEL, DockerState, address as docker_address, connect as connect_docker, has_image,
    pull, remove_containers_labelled, sanitise,
};
pub use ferretdb::{BUILD_TIME, find_go};

/// The image started in Docker unless `MONGODB_IMAGE` names another.
pub const DEFAULT_IMAGE: &str = "mongo:8.0";
/// Where a MongoDB of the user's own usually listens.
pub const LOCAL_URI: &str = "mongodb://127.0.0.1:27017";

/// How long `MONGODB_URI`'s server may take to answer.
const CONFIGURED_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a server found running may take to answer a `ping`.
const RUNNING_TIMEOUT: Duration = Duration::from_secs(2);
/// How long a server just started may take to answer its first `ping`.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(60);

/// A MongoDB to use, and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Server {
    /// Named by `MONGODB_URI`.
    #[serde(skip)]
    Configured(String),
    /// A MongoDB of the user's own, answering at [`LOCAL_URI`].
    #[serde(skip)]
    Local,
    /// The course's container in Docker, kept between runs.
    Docker {
        uri: String,
        container: String,
        image: String,
    },
    /// FerretDB, built and started by the course.
    #[serde(rename = "ferretdb")]
    FerretDb { uri: String, pid: u32 },
}

impl Server {
    /// The connection string.
    pub fn uri(&self) -> &str {
        match self {
            Server::Configured(uri) | Server::Docker { uri, .. } | Server::FerretDb { uri, .. } => {
                uri
            }
            Server::Local => LOCAL_URI,
        }
    }

    /// Whether the course started it (and `cargo course mongo stop` stops it).
    pub fn started_by_the_course(&self) -> bool {
        matches!(self, Server::Docker { .. } | Server::FerretDb { .. })
    }

    /// A few words on which server it is, such as `FerretDB at mongodb://…`.
    pub fn name(&self) -> String {
        match self {
            Server::Configured(uri) => format!("the MongoDB at {uri} (from MONGODB_URI)"),
            Server::Local => format!("the MongoDB at {LOCAL_URI}"),
            Server::Docker { uri, image, .. } => format!("MongoDB ({image}) in Docker at {uri}"),
            Server::FerretDb { uri, pid } => format!("FerretDB at {uri} (process {pid})"),
        }
    }

    /// One sentence on which server it is and where it comes from.
    pub fn describe(&self) -> String {
        match self {
            Server::Configured(uri) => format!("the MongoDB at {uri} (from MONGODB_URI)"),
            Server::Local => format!("the MongoDB already running at {LOCAL_URI}"),
            Server::Docker { uri, image, .. } => format!(
                "the course's MongoDB in Docker ({image}) at {uri}; it keeps running for the \
                 next time: `cargo course mongo stop` removes it"
            ),
            Server::FerretDb { uri, pid } => format!(
                "FerretDB, a MongoDB-compatible server the course started, at {uri} \
                 (process {pid}); it keeps running for the next time: `cargo course mongo stop` \
                 stops it"
            ),
        }
    }
}

/// Why no MongoDB could be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// `MONGODB_URI` is set, and nothing answers there.
    Unreachable { uri: String, reason: String },
    /// No way worked; the reason each way was not used.
    NoWay { docker: String, ferretdb: String },
    /// Something went wrong on this machine (the cache folder, the lock).
    Failed(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Unreachable { uri, reason } => write!(
                f,
                "MONGODB_URI is set to {uri}, but no MongoDB answers there: {reason}\n\
                 Start that server, or unset MONGODB_URI to let the course find or start one."
            ),
            Error::NoWay { docker, ferretdb } => write!(
                f,
                "No MongoDB could be found or started on this machine.\n  \
                 - Docker: {docker}\n  \
                 - FerretDB: {ferretdb}\n\
                 Do one of these, then run the command again:\n  \
                 1. start Docker (Docker Desktop, or `sudo systemctl start docker`): \
                 the course starts MongoDB in it;\n  \
                 2. install Go 1.24 or newer (https://go.dev/dl/): the course builds FerretDB, \
                 a MongoDB-compatible server, once (2 to 5 minutes);\n  \
                 3. set MONGODB_URI to any MongoDB: a local mongod \
                 (MONGODB_URI=mongodb://127.0.0.1:27017), a classroom server, or an Atlas free \
                 cluster (MONGODB_URI='mongodb+srv://…')."
            ),
            Error::Failed(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {}

/// What the search depends on, read from the environment by
/// [`Settings::from_env`]; tests make their own.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `MONGODB_URI`, when set to something.
    pub uri: Option<String>,
    /// The image to start in Docker.
    pub image: String,
    /// Whether to try Docker at all (it honours `DOCKER_HOST`).
    pub docker: bool,
    /// Whether to look for a MongoDB of the user's own at [`LOCAL_URI`].
    pub local: bool,
    /// The Go command, when installed.
    pub go: Option<PathBuf>,
    /// The course's folder in the user's cache folder.
    pub cache: PathBuf,
}

impl Settings {
    /// `MONGODB_URI`, `MONGODB_IMAGE`, `DOCKER_HOST`, Go on the `PATH` or
    /// where its installer puts it, and the user's cache folder.
    pub fn from_env() -> Settings {
        Settings {
            uri: non_empty_var("MONGODB_URI"),
            image: non_empty_var("MONGODB_IMAGE").unwrap_or_else(|| DEFAULT_IMAGE.to_owned()),
            docker: true,
            local: true,
            go: find_go(),
            cache: dirs::cache_dir()
                .unwrap_or_else(std::env::temp_dir)
                .join("rust-course"),
        }
    }

    /// The state file recording the server the course started.
    pub fn state_file(&self) -> PathBuf {
        self.cache.join("mongodb.json")
    }
}

fn non_empty_var(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .map(|value| value.trim().to_owned())
        .filter(|value| !value.is_empty())
}

/// Finds or starts a MongoDB, in the order of the crate's documentation.
pub async fn find_or_start(settings: &Settings) -> Result<Server, Error> {
    if let Some(uri) = &settings.uri {
        return ping(uri, CONFIGURED_TIMEOUT)
            .await
            .map(|()| Server::Configured(uri.clone()))
            .map_err(|reason| Error::Unreachable {
                uri: uri.clone(),
                reason,
            });
    }
    if let Some(server) = recorded_server(settings).await {
        return Ok(server);
    }
    if settings.local && answers(LOCAL_URI).await {
        return Ok(Server::Local);
    }

    // Only one process at a time pulls, builds or starts a server; the
    // others wait, then find the winner's server in the state file.
    let _lock = state::lock(&settings.cache)?;
    if let Some(server) = recorded_server(settings).await {
        return Ok(server);
    }
    let docker = match docker::find_or_start(settings).await {
        Ok(server) => return record(settings, server),
        Err(reason) => reason,
    };
    let ferretdb = match ferretdb::find_or_start(settings).await {
        Ok(server) => return record(settings, server),
        Err(reason) => reason,
    };
    Err(Error::NoWay { docker, ferretdb })
}

/// [`find_or_start`] for code that is not async (or is, on another runtime).
pub fn find_or_start_blocking(settings: &Settings) -> Result<Server, Error> {
    block_on(find_or_start(settings))
}

/// Stops whichever server the course started: the FerretDB process it
/// recorded and every container labelled [`COURSE_LABEL`]. Returns one line
/// per server stopped.
pub async fn stop(settings: &Settings) -> Result<Vec<String>, Error> {
    let _lock = state::lock(&settings.cache)?;
    let mut stopped = Vec::new();
    let recorded = state::read(&settings.state_file());
    if let Some(Server::FerretDb { uri, pid }) = &recorded
        && ferretdb::stop(*pid, uri).await?
    {
        stopped.push(format!("FerretDB at {uri} (process {pid})"));
    }
    match docker::connect().await {
        Ok(client) => {
            let names = remove_containers_labelled(&client, COURSE_LABEL)
                .await
                .map_err(Error::Failed)?;
            stopped.extend(names.into_iter().map(|name| format!("container {name}")));
        }
        Err(err) => {
            if let Some(Server::Docker { container, .. }) = &recorded {
                return Err(Error::Failed(format!(
                    "the course's container {container} may still run, but Docker does not \
                     answer at {}: {err}",
                    docker_address()
                )));
            }
        }
    }
    state::remove(&settings.state_file())?;
    Ok(stopped)
}

/// Builds FerretDB ahead of time, when it is not built yet (for `cargo course
/// prepare`); returns the binary, or why it cannot be built.
pub fn build_ferretdb(settings: &Settings) -> Result<PathBuf, String> {
    let _lock = state::lock(&settings.cache).map_err(|err| err.to_string())?;
    ferretdb::ensure_built(settings)
}

/// [`stop`] for code that is not async.
pub fn stop_blocking(settings: &Settings) -> Result<Vec<String>, Error> {
    block_on(stop(settings))
}

/// The server in the state file, if it still answers.
pub async fn recorded_server(settings: &Settings) -> Option<Server> {
    let server = state::read(&settings.state_file())?;
    if let Server::Docker { image, .. } = &server
        && *image != settings.image
    {
        return None;
    }
    answers(server.uri()).await.then_some(server)
}

/// The server in the state file, whether it answers or not.
pub fn recorded(settings: &Settings) -> Option<Server> {
    state::read(&settings.state_file())
}

fn record(settings: &Settings, server: Server) -> Result<Server, Error> {
    state::write(&settings.state_file(), &server)?;
    Ok(server)
}

/// What each way would do now, without starting anything: for
/// `cargo course doctor` and `cargo course mongo status`.
#[derive(Debug)]
pub struct Survey {
    /// `MONGODB_URI` and whether it answers.
    pub configured: Option<(String, Result<(), String>)>,
    /// The server in the state file and whether it answers.
    pub recorded: Option<(Server, bool)>,
    /// Whether a MongoDB answers at [`LOCAL_URI`].
    pub local: bool,
    /// Docker, or why it cannot be used.
    pub docker: Result<DockerState, String>,
    /// The Go command, when installed.
    pub go: Option<PathBuf>,
    /// The FerretDB binary, when already built.
    pub ferretdb: Option<PathBuf>,
}

/// The way [`find_or_start`] would take now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Way {
    Configured,
    ConfiguredUnreachable,
    Recorded,
    Local,
    Docker { pull: bool },
    FerretDb { build: bool },
    None,
}

impl Survey {
    /// Looks at every way, quickly (a few seconds at most).
    pub async fn take(settings: &Settings) -> Survey {
        let configured = match &settings.uri {
            Some(uri) => Some((uri.clone(), ping(uri, CONFIGURED_TIMEOUT).await)),
            None => None,
        };
        let recorded = match state::read(&settings.state_file()) {
            Some(server) => {
                let up = answers(server.uri()).await;
                Some((server, up))
            }
            None => None,
        };
        Survey {
            configured,
            recorded,
            local: settings.local && answers(LOCAL_URI).await,
            docker: if settings.docker {
                docker::state(&settings.image).await
            } else {
                Err("not tried".to_owned())
            },
            go: settings.go.clone(),
            ferretdb: Some(ferretdb::binary_path(&settings.cache)).filter(|path| path.is_file()),
        }
    }

    /// The way that would be taken.
    pub fn way(&self) -> Way {
        match (&self.configured, &self.recorded, &self.docker) {
            (Some((_, Ok(()))), _, _) => Way::Configured,
            (Some((_, Err(_))), _, _) => Way::ConfiguredUnreachable,
            (None, Some((_, true)), _) => Way::Recorded,
            _ if self.local => Way::Local,
            (_, _, Ok(docker)) => Way::Docker {
                pull: !docker.has_image,
            },
            _ if self.ferretdb.is_some() => Way::FerretDb { build: false },
            _ if self.go.is_some() => Way::FerretDb { build: true },
            _ => Way::None,
        }
    }
}

/// [`Survey::take`] for code that is not async.
pub fn survey_blocking(settings: &Settings) -> Survey {
    block_on(Survey::take(settings))
}

/// Whether a MongoDB answers a `ping` at `uri` within `timeout`.
pub async fn ping(uri: &str, timeout: Duration) -> Result<(), String> {
    let mut options = ClientOptions::parse(uri)
        .await
        .map_err(|err| first_line(&err.to_string()))?;
    options.server_selection_timeout = Some(timeout);
    options.connect_timeout = Some(timeout);
    options.app_name = Some("rust-course".to_owned());
    let client = mongodb::Client::with_options(options).map_err(|err| err.to_string())?;
    let answer = client
        .database("admin")
        .run_command(doc! { "ping": 1 })
        .await
        .map(drop)
        .map_err(|err| first_line(&err.to_string()));
    client.shutdown().immediate(true).await;
    answer
}

/// Whether a MongoDB answers at `uri` now: a closed port is known at once,
/// without waiting for the driver's server selection to time out.
pub async fn answers(uri: &str) -> bool {
    if let Some(address) = plain_address(uri)
        && !port_open(&address)
    {
        return false;
    }
    ping(uri, RUNNING_TIMEOUT).await.is_ok()
}

/// Pings until the server answers, or `timeout` has passed.
async fn wait_until_ready(uri: &str, timeout: Duration) -> Result<(), String> {
    let deadline = std::time::Instant::now() + timeout;
    loop {
        match ping(uri, Duration::from_millis(500)).await {
            Ok(()) => return Ok(()),
            Err(err) if std::time::Instant::now() >= deadline => return Err(err),
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

/// `host:port` of a plain `mongodb://host:port` URI.
fn plain_address(uri: &str) -> Option<String> {
    let rest = uri.strip_prefix("mongodb://")?;
    let host_port = rest.split(['/', '?']).next()?;
    (!host_port.contains([',', '@']) && host_port.contains(':')).then(|| host_port.to_owned())
}

fn port_open(address: &str) -> bool {
    address.to_socket_addrs().is_ok_and(|mut addrs| {
        addrs.any(|addr| TcpStream::connect_timeout(&addr, Duration::from_millis(500)).is_ok())
    })
}

/// Driver errors can run over many lines; the first says what happened.
fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or(text);
    // Server selection errors end with a long topology dump.
    line.split(", Topology:").next().unwrap_or(line).to_owned()
}

/// Runs `future` to completion on a runtime of its own, on a thread of its
/// own: callable from plain code and from inside another runtime alike.
pub fn block_on<F>(future: F) -> F::Output
where
    F: Future + Send,
    F::Output: Send,
{
    std::thread::scope(|scope| {
        scope
            .spawn(|| {
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a Tokio runtime")
                    .block_on(future)
            })
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// A progress line on stderr, written directly so that it shows even while
/// the test harness captures the tests' output.
pub fn say(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_uris_give_their_address() {
        assert_eq!(
            plain_address("mongodb://127.0.0.1:40123").as_deref(),
            Some("127.0.0.1:40123")
        );
        assert_eq!(
            plain_address("mongodb://localhost:27017/db?x=1").as_deref(),
            Some("localhost:27017")
        );
        assert_eq!(plain_address("mongodb+srv://cluster.example.net"), None);
        assert_eq!(plain_address("mongodb://user:pw@host:1"), None);
    }

    #[test]
    fn long_driver_errors_are_cut_to_their_first_line() {
        assert_eq!(
            first_line("Server selection timeout: No available servers, Topology: { lots }\nmore"),
            "Server selection timeout: No available servers"
        );
    }

    #[test]
    fn servers_give_their_uri_and_say_how_to_stop_them() {
        assert_eq!(Server::Local.uri(), LOCAL_URI);
        let ferretdb = Server::FerretDb {
            uri: "mongodb://127.0.0.1:40123".to_owned(),
            pid: 42,
        };
        assert_eq!(ferretdb.uri(), "mongodb://127.0.0.1:40123");
        assert!(ferretdb.describe().contains("cargo course mongo stop"));
        assert!(ferretdb.started_by_the_course());
        assert!(!Server::Configured("mongodb://x:1".to_owned()).started_by_the_course());
    }

    #[test]
    fn block_on_works_inside_a_runtime_too() {
        let outer = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        assert_eq!(outer.block_on(async { block_on(async { 1 + 1 }) }), 2);
    }
}
