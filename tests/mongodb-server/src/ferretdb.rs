//! The FerretDB way: FerretDB is an independent, MongoDB-compatible server
//! (Apache-2.0) that keeps its data in SQLite files. The course builds a
//! small wrapper around it (`ferretdb/`, pinned by its `go.mod` and
//! `go.sum`) with Go, once, into the cache folder, and starts it on a free
//! loopback port, detached, so that it outlives the command that started it.

use std::fs::{self, File};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::{STARTUP_TIMEOUT, Server, Settings, plain_address, port_open, say, wait_until_ready};

/// How long the first build takes, for messages.
pub const BUILD_TIME: &str = "2 to 5 minutes";

/// The wrapper's sources, built in the cache folder: the binary does not
/// depend on where the course's folder is.
const SOURCES: [(&str, &str); 3] = [
    ("go.mod", include_str!("../ferretdb/go.mod")),
    ("go.sum", include_str!("../ferretdb/go.sum")),
    ("main.go", include_str!("../ferretdb/main.go")),
];

/// Where Go's installers put it, for when it is not on the `PATH`.
const GO_PLACES: &[&str] = &[
    "/usr/local/go/bin/go",
    "/usr/lib/go/bin/go",
    "/opt/homebrew/bin/go",
    "/usr/local/bin/go",
    r"C:\Program Files\Go\bin\go.exe",
];

/// The Go command: on the `PATH`, in `$GOROOT/bin`, or where an installer
/// puts it.
pub fn find_go() -> Option<PathBuf> {
    which::which("go")
        .ok()
        .or_else(|| {
            let goroot = std::env::var_os("GOROOT")?;
            let go = Path::new(&goroot).join("bin").join("go");
            which::which(go).ok()
        })
        .or_else(|| GO_PLACES.iter().find_map(|place| which::which(place).ok()))
}

/// A name that changes whenever the sources do: the SHA-256 of `go.mod`,
/// `go.sum` and `main.go` one after the other, as `.ci/lib/ferretdb.sh`
/// computes it.
fn sources_key() -> String {
    let mut hasher = Sha256::new();
    for (_, text) in SOURCES {
        hasher.update(text.as_bytes());
    }
    hasher.finalize()[..8]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Where the binary for the current sources is (or will be) in `cache`.
pub fn binary_path(cache: &Path) -> PathBuf {
    cache.join(format!(
        "ferretdb-{}{}",
        sources_key(),
        std::env::consts::EXE_SUFFIX
    ))
}

/// Builds FerretDB if needed and starts it; returns why not when it cannot.
pub async fn find_or_start(settings: &Settings) -> Result<Server, String> {
    let binary = ensure_built(settings)?;
    start(&binary, &settings.cache).await
}

/// The binary, built first if it is not yet; returns why not when it cannot.
pub fn ensure_built(settings: &Settings) -> Result<PathBuf, String> {
    let binary = binary_path(&settings.cache);
    if !binary.is_file() {
        let Some(go) = &settings.go else {
            return Err(format!(
                "Go is not installed (looked on the PATH, in $GOROOT/bin and in {})",
                GO_PLACES[0].trim_end_matches("/go")
            ));
        };
        build(go, &settings.cache, &binary)?;
    }
    Ok(binary)
}

/// Builds the binary with `go`, saying so, with a progress line now and then.
fn build(go: &Path, cache: &Path, binary: &Path) -> Result<(), String> {
    say(&format!(
        "Building FerretDB, a MongoDB-compatible server, once: {BUILD_TIME} \
         (Go downloads its modules the first time)…"
    ));
    let started = Instant::now();
    let source = cache.join(format!("ferretdb-src-{}", sources_key()));
    let log_path = cache.join("ferretdb-build.log");
    let failed = |what: &str, err: std::io::Error| format!("cannot {what}: {err}");
    fs::create_dir_all(&source).map_err(|err| failed("create the build folder", err))?;
    for (name, text) in SOURCES {
        fs::write(source.join(name), text).map_err(|err| failed("write the sources", err))?;
    }
    let log = File::create(&log_path).map_err(|err| failed("create the build log", err))?;
    let partial = binary.with_extension(format!("{}.partial", std::process::id()));
    let mut go_build = Command::new(go)
        .args(["build", "-trimpath", "-o"])
        .arg(&partial)
        .arg(".")
        .current_dir(&source)
        .env("CGO_ENABLED", "0")
        .stdin(Stdio::null())
        .stdout(
            log.try_clone()
                .map_err(|err| failed("open the build log", err))?,
        )
        .stderr(log)
        .spawn()
        .map_err(|err| {
            format!(
                "Go is installed ({}), but does not start: {err}",
                go.display()
            )
        })?;
    let mut next_progress = Duration::from_secs(30);
    let status = loop {
        match go_build.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) => {}
            Err(err) => return Err(failed("wait for the Go build", err)),
        }
        if started.elapsed() >= next_progress {
            say(&format!(
                "  still building FerretDB ({} s)…",
                next_progress.as_secs()
            ));
            next_progress += Duration::from_secs(30);
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    if !status.success() {
        let output = fs::read_to_string(&log_path).unwrap_or_default();
        let last_lines: Vec<&str> = output.lines().rev().take(10).collect();
        let _ = fs::remove_file(&partial);
        return Err(format!(
            "Go is installed ({}), but building FerretDB failed ({status}); the last lines \
             of {}:\n      {}",
            go.display(),
            log_path.display(),
            last_lines
                .into_iter()
                .rev()
                .collect::<Vec<_>>()
                .join("\n      ")
        ));
    }
    fs::rename(&partial, binary).map_err(|err| failed("keep the built binary", err))?;
    let _ = fs::remove_dir_all(&source);
    say(&format!(
        "Built FerretDB in {} s: {}",
        started.elapsed().as_secs(),
        binary.display()
    ));
    Ok(())
}

/// Starts `binary` on a free loopback port with its data in `cache`, in a
/// process group of its own, so that Ctrl-C in the terminal and the end of
/// the command that started it leave it running.
async fn start(binary: &Path, cache: &Path) -> Result<Server, String> {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map_err(|err| format!("no free loopback port: {err}"))?
        .port();
    let uri = format!("mongodb://127.0.0.1:{port}");
    let log_path = cache.join("ferretdb.log");
    let log = File::create(&log_path)
        .map_err(|err| format!("cannot create {}: {err}", log_path.display()))?;
    let mut command = Command::new(binary);
    command
        .arg("-listen-addr")
        .arg(format!("127.0.0.1:{port}"))
        .arg("-data-dir")
        .arg(cache.join("ferretdb-data"))
        .current_dir(cache)
        .stdin(Stdio::null())
        .stdout(log.try_clone().map_err(|err| err.to_string())?)
        .stderr(log);
    detach(&mut command);
    let mut child = command
        .spawn()
        .map_err(|err| format!("cannot start {}: {err}", binary.display()))?;
    say(&format!("Starting FerretDB at {uri}…"));
    let deadline = Instant::now() + STARTUP_TIMEOUT;
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            let log = fs::read_to_string(&log_path).unwrap_or_default();
            return Err(format!(
                "FerretDB stopped at once ({status}): {}",
                log.lines().last().unwrap_or("no message")
            ));
        }
        match wait_until_ready(&uri, Duration::from_millis(200)).await {
            Ok(()) => break,
            Err(err) if Instant::now() >= deadline => {
                let _ = child.kill();
                return Err(format!("FerretDB never answered at {uri}: {err}"));
            }
            Err(_) => {}
        }
    }
    Ok(Server::FerretDb {
        uri,
        pid: child.id(),
    })
}

#[cfg(unix)]
fn detach(command: &mut Command) {
    use std::os::unix::process::CommandExt;
    command.process_group(0);
}

#[cfg(windows)]
fn detach(command: &mut Command) {
    use std::os::windows::process::CommandExt;
    const DETACHED_PROCESS: u32 = 0x0000_0008;
    const CREATE_NEW_PROCESS_GROUP: u32 = 0x0000_0200;
    command.creation_flags(DETACHED_PROCESS | CREATE_NEW_PROCESS_GROUP);
}

/// Stops the FerretDB the course recorded, if it still runs; whether it did.
/// A process is only stopped when it is FerretDB: a recorded process id may
/// since have been given to another program.
pub async fn stop(pid: u32, uri: &str) -> Result<bool, crate::Error> {
    let proc = Path::new("/proc");
    let ours = if proc.is_dir() {
        fs::read(proc.join(pid.to_string()).join("cmdline"))
            .is_ok_and(|cmdline| String::from_utf8_lossy(&cmdline).contains("ferretdb"))
    } else {
        crate::answers(uri).await
    };
    if !ours {
        return Ok(false);
    }
    signal(pid, false)?;
    let address = plain_address(uri);
    let deadline = Instant::now() + Duration::from_secs(5);
    while address.as_deref().is_some_and(port_open) || still_running(pid) {
        if Instant::now() >= deadline {
            signal(pid, true)?;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(true)
}

/// Whether process `pid` still runs, where `/proc` tells (a zombie, waiting
/// for its parent to collect its exit status, no longer runs).
fn still_running(pid: u32) -> bool {
    fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        // The state follows the command name, which is in parentheses.
        stat.rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .is_some_and(|state| state != "Z" && state != "X")
    })
}

/// Asks process `pid` to stop (or, `force`, makes it).
fn signal(pid: u32, force: bool) -> Result<(), crate::Error> {
    let mut command = if cfg!(windows) {
        let mut command = Command::new("taskkill");
        command.args(["/PID", &pid.to_string()]);
        if force {
            command.arg("/F");
        }
        command
    } else {
        let mut command = Command::new("kill");
        command.args([if force { "-KILL" } else { "-TERM" }, &pid.to_string()]);
        command
    };
    command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(drop)
        .map_err(|err| crate::Error::Failed(format!("cannot stop process {pid}: {err}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_binary_is_named_after_its_sources() {
        let key = sources_key();
        assert_eq!(key.len(), 16);
        assert!(key.chars().all(|c| c.is_ascii_hexdigit()));
        let path = binary_path(Path::new("/cache"));
        assert!(path.ends_with(format!("ferretdb-{key}{}", std::env::consts::EXE_SUFFIX)));
    }

    #[test]
    fn this_process_runs_and_a_finished_one_does_not() {
        assert!(still_running(std::process::id()) || !Path::new("/proc").is_dir());
        let mut child = Command::new(std::env::current_exe().unwrap())
            .arg("--list")
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let pid = child.id();
        child.wait().unwrap();
        assert!(!still_running(pid));
    }

    #[test]
    fn the_embedded_sources_are_the_pinned_wrapper() {
        let (_, go_mod) = SOURCES[0];
        assert!(go_mod.contains("github.com/FerretDB/FerretDB v1.24.2"));
    }
}
