//! Talking HTTP to the app under test, the way a browser or `curl` would.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use cookie::Cookie;
use cookie::time::OffsetDateTime;
use http::header::{CONTENT_TYPE, COOKIE, HOST, HeaderMap, SET_COOKIE};
use http::{Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio::task::JoinSet;

/// A client of the app under test, as a browser is one: it sends requests
/// to a router in memory or to a real server, and keeps a cookie jar that
/// behaves like a browser's. Cookies the app sets are sent back on the next
/// requests, and a cookie the app expires is forgotten. Two clients are two
/// visitors: each has its own jar.
pub struct TestClient {
    target: Target,
    cookies: Mutex<BTreeMap<String, String>>,
}

enum Target {
    /// Requests go straight into the router, with no socket in between.
    #[cfg(feature = "axum")]
    Router(axum::Router),
    /// Each request goes over a new TCP connection to a server at
    /// `address` (such as `127.0.0.1:41234`), as `curl` would send it.
    Server { address: String },
}

impl TestClient {
    /// Tests an axum router in memory: each request is one `oneshot` call.
    #[cfg(feature = "axum")]
    pub fn new(router: axum::Router) -> Self {
        Self::with_target(Target::Router(router))
    }

    /// Runs `serve` on a fresh listener on `127.0.0.1` (port chosen by the OS)
    /// in the background, and sends every request to it over TCP.
    pub async fn spawn<F, Fut>(serve: F) -> Self
    where
        F: FnOnce(TcpListener) -> Fut,
        Fut: Future + Send + 'static,
        Fut::Output: Send + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port on 127.0.0.1");
        let address = listener.local_addr().expect("the listener's address");
        tokio::spawn(serve(listener));
        Self::at(&format!("http://{address}"))
    }

    /// Serves an axum router on a real socket (see [`TestClient::spawn`]).
    #[cfg(feature = "axum")]
    pub async fn serve(router: axum::Router) -> Self {
        Self::spawn(|listener| async move { axum::serve(listener, router).await }).await
    }

    /// Talks to a server that is already listening at `base_url`, such as
    /// `http://127.0.0.1:41234`.
    pub fn at(base_url: &str) -> Self {
        let address = base_url
            .strip_prefix("http://")
            .unwrap_or_else(|| {
                panic!("expected a URL such as http://127.0.0.1:3000, got {base_url:?}")
            })
            .trim_end_matches('/');
        Self::with_target(Target::Server {
            address: address.to_owned(),
        })
    }

    fn with_target(target: Target) -> Self {
        Self {
            target,
            cookies: Mutex::new(BTreeMap::new()),
        }
    }

    /// `GET path` every 100 ms until it answers `200 OK`, which it must do
    /// within `limit`; returns that answer. For a server that should recover
    /// by itself, such as after a MongoDB outage.
    pub async fn get_until_ok(
        &self,
        path: &str,
        limit: Duration,
        what_to_fix: &str,
    ) -> TestResponse {
        let started = Instant::now();
        loop {
            let response = self.get(path).await;
            if response.status == StatusCode::OK {
                return response;
            }
            assert!(
                started.elapsed() < limit,
                "\n{}: still answers {} after {limit:?}. {what_to_fix}\n",
                response.request,
                response.status
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// `GET path`.
    pub async fn get(&self, path: &str) -> TestResponse {
        self.send_bytes(request(Method::GET, path).body(Bytes::new()).unwrap())
            .await
    }

    /// `DELETE path`.
    pub async fn delete(&self, path: &str) -> TestResponse {
        self.send_bytes(request(Method::DELETE, path).body(Bytes::new()).unwrap())
            .await
    }

    /// `POST path` with `body` as JSON.
    pub async fn post_json(&self, path: &str, body: &impl Serialize) -> TestResponse {
        self.send_body(Method::POST, path, JSON, to_json(body))
            .await
    }

    /// `PUT path` with `body` as JSON.
    pub async fn put_json(&self, path: &str, body: &impl Serialize) -> TestResponse {
        self.send_body(Method::PUT, path, JSON, to_json(body)).await
    }

    /// `PATCH path` with `body` as JSON.
    pub async fn patch_json(&self, path: &str, body: &impl Serialize) -> TestResponse {
        self.send_body(Method::PATCH, path, JSON, to_json(body))
            .await
    }

    /// `POST path` with `fields` as an HTML form (`application/x-www-form-urlencoded`).
    pub async fn post_form(&self, path: &str, fields: &impl Serialize) -> TestResponse {
        let body = serde_urlencoded::to_string(fields).expect("form fields");
        self.send_body(Method::POST, path, FORM, body.into()).await
    }

    /// Sends `body` exactly as given, with the given `Content-Type`: the way
    /// to test malformed JSON or a wrong content type.
    pub async fn send_raw(
        &self,
        method: Method,
        path: &str,
        content_type: &str,
        body: impl Into<Bytes>,
    ) -> TestResponse {
        self.send_body(method, path, content_type, body.into())
            .await
    }

    async fn send_body(
        &self,
        method: Method,
        path: &str,
        content_type: &str,
        body: Bytes,
    ) -> TestResponse {
        let request = request(method, path)
            .header(CONTENT_TYPE, content_type)
            .body(body)
            .unwrap();
        self.send_bytes(request).await
    }

    /// Sends any request; its body is anything that turns into bytes (a
    /// `String`, a `&'static str`, a `Vec<u8>`). The jar's cookies are added
    /// (unless the request already has a `Cookie` header) and the answer's
    /// `Set-Cookie` headers update the jar.
    pub async fn send(&self, request: Request<impl Into<Bytes>>) -> TestResponse {
        self.send_bytes(request.map(Into::into)).await
    }

    /// [`TestClient::send`]'s work, kept free of generics so that it is compiled
    /// once here rather than again in every lesson's tests.
    async fn send_bytes(&self, mut request: Request<Bytes>) -> TestResponse {
        if !request.headers().contains_key(COOKIE)
            && let Some(cookies) = self.cookie_header()
        {
            request
                .headers_mut()
                .insert(COOKIE, cookies.parse().expect("a valid Cookie header"));
        }
        let description = format!("{} {}", request.method(), request.uri());
        let response = match &self.target {
            #[cfg(feature = "axum")]
            Target::Router(router) => {
                use tower::ServiceExt;
                let request = request.map(axum::body::Body::from);
                let response = router.clone().oneshot(request).await.unwrap();
                TestResponse::read(description, response).await
            }
            Target::Server { address } => {
                let response = send_over_tcp(address, request).await.unwrap_or_else(|err| {
                    panic!("{description}: no answer from the server at {address}: {err}")
                });
                TestResponse::read(description, response).await
            }
        };
        self.remember_cookies(&response);
        response
    }

    /// A burst of clients that hang up: `clients` connections at once,
    /// each sending `GET path` (with the jar's cookies) again as soon as
    /// its answer is in, as a load tester does. Once every client has had
    /// a few answers, all of them hang up at the same moment, each with a
    /// request in flight. A load tester does the same when it stops, and so
    /// does a crowd of browser tabs that are closed.
    ///
    /// Needs a real socket: make the app with [`TestClient::serve`].
    ///
    /// Returns how fast the server answered during the burst, to judge
    /// the next answer by this machine's speed rather than by a fixed clock.
    pub async fn hang_up_in_a_burst(&self, path: &str, clients: usize) -> Burst {
        let address = match &self.target {
            Target::Server { address } => address,
            #[cfg(feature = "axum")]
            Target::Router(_) => {
                panic!(
                    "a burst of connections needs a real socket: use `TestClient::serve(router)`"
                )
            }
        };
        let mut request = request(Method::GET, path).header(HOST, address.as_str());
        if let Some(cookies) = self.cookie_header() {
            request = request.header(COOKIE, cookies);
        }
        let request = request.body(Bytes::new()).unwrap();
        let answers = Arc::new(AtomicUsize::new(0));
        let enough = Arc::new(Notify::new());
        let wanted = clients * 3;
        let mut burst = JoinSet::new();
        for _ in 0..clients {
            let (address, request) = (address.clone(), request.clone());
            let (answers, enough) = (Arc::clone(&answers), Arc::clone(&enough));
            burst.spawn(async move {
                // A client that cannot connect or loses its connection
                // simply stops: the burst is whatever the others make.
                let Ok(stream) = TcpStream::connect(address).await else {
                    return;
                };
                let Ok((mut sender, connection)) =
                    hyper::client::conn::http1::handshake(TokioIo::new(stream)).await
                else {
                    return;
                };
                let keep_asking = async move {
                    while let Ok(response) =
                        sender.send_request(request.clone().map(Full::new)).await
                    {
                        let _ = response.into_body().collect().await;
                        if answers.fetch_add(1, Ordering::SeqCst) + 1 == wanted {
                            enough.notify_one();
                        }
                    }
                };
                // The burst ends when this task is aborted, which drops the
                // connection: the client hangs up.
                tokio::select! {
                    _ = connection => {}
                    () = keep_asking => {}
                }
            });
        }
        let started = Instant::now();
        let waited = tokio::time::timeout(Duration::from_secs(10), enough.notified()).await;
        let took = started.elapsed();
        assert!(
            waited.is_ok(),
            "GET {path}: the server answered only {} requests of a burst of {clients} clients \
             within 10 s. This test needs `GET {path}` to work first: if its handler still \
             stops at a `todo!()` (see the panic above), do that TODO before this one.",
            answers.load(Ordering::SeqCst)
        );
        // Every client hangs up now, each with a request in flight.
        burst.shutdown().await;
        Burst {
            clients,
            answered: wanted,
            took,
        }
    }

    /// The value of cookie `name` in the jar.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies.lock().unwrap().get(name).cloned()
    }

    /// Puts a cookie in the jar by hand, as a client could (or a forger).
    pub fn set_cookie(&self, name: &str, value: &str) {
        self.cookies
            .lock()
            .unwrap()
            .insert(name.to_owned(), value.to_owned());
    }

    /// Forgets every cookie, like a new private browser window.
    pub fn clear_cookies(&self) {
        self.cookies.lock().unwrap().clear();
    }

    fn cookie_header(&self) -> Option<String> {
        let cookies = self.cookies.lock().unwrap();
        (!cookies.is_empty()).then(|| {
            cookies
                .iter()
                .map(|(name, value)| format!("{name}={value}"))
                .collect::<Vec<_>>()
                .join("; ")
        })
    }

    fn remember_cookies(&self, response: &TestResponse) {
        let mut jar = self.cookies.lock().unwrap();
        for cookie in response.set_cookies() {
            let expired = cookie.max_age().is_some_and(|age| age.is_zero())
                || cookie
                    .expires_datetime()
                    .is_some_and(|at| at <= OffsetDateTime::now_utc());
            if expired {
                jar.remove(cookie.name());
            } else {
                jar.insert(cookie.name().to_owned(), cookie.value().to_owned());
            }
        }
    }
}

/// Sends one request on a connection of its own, and returns the answer
/// with its body still to be read.
async fn send_over_tcp(
    address: &str,
    mut request: Request<Bytes>,
) -> Result<Response<Incoming>, Box<dyn std::error::Error>> {
    let stream = TcpStream::connect(address).await?;
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    // The connection does the reading and writing; it runs beside us until
    // the answer has been read.
    tokio::spawn(connection);
    if !request.headers().contains_key(HOST) {
        request.headers_mut().insert(HOST, address.parse()?);
    }
    Ok(sender.send_request(request.map(Full::new)).await?)
}

const JSON: &str = "application/json";
const FORM: &str = "application/x-www-form-urlencoded";

fn to_json(body: &impl Serialize) -> Bytes {
    serde_json::to_vec(body).expect("a JSON body").into()
}

/// Starts a request to `path` (which starts with `/`).
pub fn request(method: Method, path: &str) -> http::request::Builder {
    assert!(path.starts_with('/'), "paths start with `/`, got {path:?}");
    Request::builder().method(method).uri(path)
}

/// An answer, read completely, with helpers to inspect it.
#[derive(Debug)]
pub struct TestResponse {
    /// What was asked, such as `GET /contact`, for failure messages.
    pub request: String,
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl TestResponse {
    /// Reads a whole response, such as one a handler built with no
    /// network involved; `request` names what was asked, for failure
    /// messages.
    pub async fn read<B>(request: String, response: Response<B>) -> Self
    where
        B: http_body::Body,
        B::Error: std::fmt::Debug,
    {
        let (parts, body) = response.into_parts();
        let body = body.collect().await.expect("the response body").to_bytes();
        Self {
            request,
            status: parts.status,
            headers: parts.headers,
            body,
        }
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body parsed as JSON; panics with the body when it is not JSON.
    #[track_caller]
    pub fn json<T: DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.body).unwrap_or_else(|err| {
            panic!(
                "{}: expected a JSON body ({err}), got:\n{}",
                self.request,
                self.text()
            )
        })
    }

    /// A header's value as text, if it is present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// Every `Set-Cookie` header, parsed.
    pub fn set_cookies(&self) -> Vec<Cookie<'static>> {
        self.headers
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .filter_map(|value| Cookie::parse(value.to_owned()).ok())
            .collect()
    }

    /// The `Set-Cookie` header for cookie `name`, parsed.
    pub fn set_cookie(&self, name: &str) -> Option<Cookie<'static>> {
        self.set_cookies()
            .into_iter()
            .find(|cookie| cookie.name() == name)
    }

    /// Checks the status code; on failure says what was sent, what came
    /// back (with the body) and `what_to_fix`.
    #[track_caller]
    pub fn assert_status(&self, expected: StatusCode, what_to_fix: &str) -> &Self {
        assert_eq!(
            self.status,
            expected,
            "\n{}: expected {expected}, got {}.\n{what_to_fix}\nResponse body:\n{}\n",
            self.request,
            self.status,
            self.text()
        );
        self
    }

    /// Checks that a header has exactly this value.
    #[track_caller]
    pub fn assert_header(&self, name: &str, expected: &str, what_to_fix: &str) -> &Self {
        assert_eq!(
            self.header(name),
            Some(expected),
            "\n{}: header `{name}` should be {expected:?}.\n{what_to_fix}\n",
            self.request
        );
        self
    }

    /// Checks that the body holds `expected`; on failure says what was
    /// sent, what was looked for, `what_to_fix`, and the body.
    #[track_caller]
    pub fn assert_body_contains(&self, expected: &str, what_to_fix: &str) -> &Self {
        let body = self.text();
        assert!(
            body.contains(expected),
            "\n{}: the body should contain {expected:?}.\n{what_to_fix}\nResponse body:\n{body}\n",
            self.request,
        );
        self
    }

    /// Checks that the body does not hold `unwanted`: something that must
    /// never be sent, such as a secret or a file from outside the site.
    #[track_caller]
    pub fn assert_body_lacks(&self, unwanted: &str, what_to_fix: &str) -> &Self {
        assert!(
            !self.text().contains(unwanted),
            "\n{}: the body must not contain {unwanted:?}.\n{what_to_fix}\n",
            self.request,
        );
        self
    }

    /// Checks the page a visitor gets when the server fails: a 500, in
    /// HTML, that says 500, and without `detail` (a template's name, an
    /// error's words), which belongs in the server's log. `where_to_look`
    /// names the code that answers it.
    #[track_caller]
    pub fn assert_error_page_hides(&self, detail: &str, where_to_look: &str) -> &Self {
        self.assert_status(
            StatusCode::INTERNAL_SERVER_ERROR,
            &format!("A failure of the server is its own bug: 500. {where_to_look}"),
        )
        .assert_header(
            "content-type",
            "text/html; charset=utf-8",
            &format!("The visitor gets a short HTML page. {where_to_look}"),
        )
        .assert_body_contains("500", &format!("The page says 500. {where_to_look}"))
        .assert_body_lacks(
            detail,
            &format!(
                "Rule: the details of an error go to the server's log, not to the \
                 visitor. {where_to_look}"
            ),
        )
    }

    /// Checks an API error: `expected` status, and a JSON body in the
    /// course's one error shape, `{"error": {"code": code, "message": "…"}}`,
    /// with a message for people. Returns the `error` object, so a test can
    /// go on checking it (its `field`, its words).
    #[track_caller]
    pub fn assert_error(
        &self,
        expected: StatusCode,
        code: &str,
        what_to_fix: &str,
    ) -> serde_json::Value {
        self.assert_status(expected, what_to_fix);
        self.assert_header(
            "content-type",
            "application/json",
            &format!(
                "Errors are JSON too, in the API's one error shape, never plain text. \
                 {what_to_fix}"
            ),
        );
        let body: serde_json::Value = self.json();
        let request = &self.request;
        let error = &body["error"];
        assert_eq!(
            error["code"], code,
            "\n{request}: the body should be {{\"error\": {{\"code\": {code:?}, \"message\": …}}}}, \
             got {body}.\n{what_to_fix}\n"
        );
        assert!(
            error["message"]
                .as_str()
                .is_some_and(|message| !message.is_empty()),
            "\n{request}: the error needs a `message` that tells people what went wrong, \
             got {body}.\n{what_to_fix}\n"
        );
        error.clone()
    }
}

/// What [`TestClient::hang_up_in_a_burst`] saw: how many answers came, and in
/// how long.
#[derive(Debug, Clone, Copy)]
pub struct Burst {
    /// How many clients hung up, each with a request in flight.
    pub clients: usize,
    /// How many answers the burst waited for.
    pub answered: usize,
    /// How long those answers took.
    pub took: Duration,
}

impl Burst {
    /// How long the next request may fairly wait: the time this server,
    /// on this machine, took to answer as many requests as were left in
    /// flight, three times over, and never less than a second.
    ///
    /// A server that finishes the abandoned requests answers within that.
    /// A stalled one does not: the driver's pool then serves its leftovers
    /// one every half second, many seconds for a burst. The deadline stops
    /// at five seconds, so a stall is still caught on a busy machine.
    pub fn fair_deadline(&self) -> Duration {
        let per_answer = self.took / self.answered.max(1) as u32;
        (per_answer * self.clients as u32 * 3).clamp(Duration::from_secs(1), Duration::from_secs(5))
    }
}
