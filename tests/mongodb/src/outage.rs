//! A MongoDB that goes away and comes back, for the tests of what a server
//! does during an outage.
//!
//! The app under test reaches the test server through a [`Link`]: a TCP
//! relay on `127.0.0.1` that the test can cut and restore. Cut, it closes
//! every open connection and refuses new ones, which is what the app sees
//! when its MongoDB stops; restored, it listens again on the same port, as a
//! restarted MongoDB would. The data stays on the real server, so a test can
//! check afterwards that nothing was lost and nothing was invented. It works
//! the same with every test server (Docker, FerretDB, `MONGODB_URI`).

use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::Duration;

use mongodb::Client;
use mongodb::options::{ClientOptions, ServerAddress};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::task::JoinSet;

use crate::TestDatabase;

/// Words of the driver's errors when MongoDB cannot be reached (no server
/// selected, a connection refused or cut). They belong in the server's log,
/// never in an answer to a client.
pub const DRIVER_WORDS: [&str; 5] = [
    "Server selection",
    "Topology",
    "Connection refused",
    "os error",
    "I/O error",
];

/// A relay between the app and the test's MongoDB that can be cut.
pub struct Link {
    address: SocketAddr,
    server: String,
    /// The relay while it runs: its listener and every open connection.
    /// Dropping the link stops it.
    relay: Mutex<Option<JoinSet<()>>>,
}

impl Link {
    /// A relay to the server of `db`, listening on a free port.
    pub async fn to(db: &TestDatabase) -> Link {
        let options = ClientOptions::parse(db.uri())
            .await
            .expect("the test server's URI parses");
        let server = options
            .hosts
            .first()
            .expect("the test server's URI names a host")
            .to_string();
        let listener = listen(SocketAddr::from(([127, 0, 0, 1], 0)));
        let address = listener.local_addr().expect("the relay's address");
        let link = Link {
            address,
            server,
            relay: Mutex::new(None),
        };
        link.start(listener);
        link
    }

    /// A client of the test server that goes through this link, as the app
    /// would connect: it gives up on a request after `selection_timeout`
    /// when the server cannot be reached.
    pub async fn client(&self, db: &TestDatabase, selection_timeout: Duration) -> Client {
        let mut options = ClientOptions::parse(db.uri())
            .await
            .expect("the test server's URI parses");
        options.hosts = vec![ServerAddress::Tcp {
            host: self.address.ip().to_string(),
            port: Some(self.address.port()),
        }];
        options.direct_connection = Some(true);
        options.server_selection_timeout = Some(selection_timeout);
        options.connect_timeout = Some(selection_timeout);
        Client::with_options(options).expect("a client through the link")
    }

    /// A connection string for a server process that should reach the test
    /// server through this link: the test server's own URI, with this
    /// link's address for its host, a direct connection, and
    /// `selection_timeout` for giving up on a request. Its user and
    /// password, if it has them, stay.
    pub fn uri(&self, db: &TestDatabase, selection_timeout: Duration) -> String {
        let uri = db.uri();
        let rest = uri.strip_prefix("mongodb://").unwrap_or_else(|| {
            panic!("a link relays to one host: `mongodb://` URIs only, not {uri:?}")
        });
        let host_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(host_end);
        let user = authority.rfind('@').map_or("", |at| &authority[..=at]);
        let (path, query) = tail.split_once('?').unwrap_or((tail, ""));
        let path = if path.is_empty() { "/" } else { path };
        let millis = selection_timeout.as_millis();
        let ours = format!(
            "directConnection=true&serverSelectionTimeoutMS={millis}&connectTimeoutMS={millis}"
        );
        let query = if query.is_empty() {
            ours
        } else {
            format!("{query}&{ours}")
        };
        format!("mongodb://{user}{}{path}?{query}", self.address)
    }

    /// MongoDB "stops": every open connection is closed and new ones are
    /// refused, until [`Link::restore`].
    pub async fn cut(&self) {
        let relay = self.relay.lock().unwrap().take();
        if let Some(mut relay) = relay {
            // Returns once the listener and every connection are closed.
            relay.shutdown().await;
        }
    }

    /// MongoDB "is back": the relay listens again on the same port.
    pub fn restore(&self) {
        self.start(listen(self.address));
    }

    fn start(&self, listener: TcpListener) {
        let server = self.server.clone();
        let mut relay = JoinSet::new();
        relay.spawn(async move {
            // Stopping this task drops `connections`, which aborts every
            // relayed connection with it.
            let mut connections = JoinSet::new();
            while let Ok((mut app_side, _)) = listener.accept().await {
                while connections.try_join_next().is_some() {}
                let server = server.clone();
                connections.spawn(async move {
                    if let Ok(mut server_side) = TcpStream::connect(&server).await {
                        let _ =
                            tokio::io::copy_bidirectional(&mut app_side, &mut server_side).await;
                    }
                });
            }
        });
        *self.relay.lock().unwrap() = Some(relay);
    }
}

/// A listener on `address` that can take the port back at once after the
/// relay is cut (`SO_REUSEADDR`), as a restarted server would.
fn listen(address: SocketAddr) -> TcpListener {
    let socket = TcpSocket::new_v4().expect("a TCP socket");
    socket.set_reuseaddr(true).expect("SO_REUSEADDR");
    socket
        .bind(address)
        .unwrap_or_else(|err| panic!("the relay cannot listen on {address}: {err}"));
    socket.listen(128).expect("listening")
}
