//! Finding a MongoDB for the lessons that need one, with
//! `course-mongodb-server`: the same search the tests make, in the same
//! order (`MONGODB_URI`; a server the course started earlier; a MongoDB
//! running at `mongodb://127.0.0.1:27017`; Docker; FerretDB built with Go).
//! A server the course starts keeps running after the command, so the next
//! start is instant; `cargo course mongo stop` stops it.

pub use mongodb_server::{LOCAL_URI, Server, Settings, Survey, Way};

use crate::style::command;

/// A MongoDB that answers now, without starting one: `MONGODB_URI` (not
/// pinged), a server the course started earlier, or one at [`LOCAL_URI`].
pub fn running_server() -> Option<Server> {
    let settings = Settings::from_env();
    if let Some(uri) = settings.uri {
        return Some(Server::Configured(uri));
    }
    mongodb_server::block_on(async {
        if let Some(server) = mongodb_server::recorded_server(&settings).await {
            Some(server)
        } else if mongodb_server::answers(LOCAL_URI).await {
            Some(Server::Local)
        } else {
            None
        }
    })
}

/// A MongoDB that answers now, or one the course starts; the error says
/// what to do.
pub fn find_or_start() -> anyhow::Result<Server> {
    Ok(mongodb_server::find_or_start_blocking(
        &Settings::from_env(),
    )?)
}

/// One sentence on the way the course would get a MongoDB now, and whether
/// that way works.
pub fn way_sentence(survey: &Survey, settings: &Settings) -> Result<String, String> {
    Ok(match survey.way() {
        Way::Configured => format!(
            "the MongoDB at {} (MONGODB_URI), which answers",
            settings.uri.as_deref().unwrap_or_default()
        ),
        Way::ConfiguredUnreachable => {
            let (uri, answer) = survey.configured.as_ref().expect("MONGODB_URI is set");
            return Err(format!(
                "MONGODB_URI is {uri}, but nothing answers there: {}",
                answer.as_ref().err().map_or("", String::as_str)
            ));
        }
        Way::Recorded => {
            let (server, _) = survey.recorded.as_ref().expect("a recorded server");
            format!(
                "{}, which the course started earlier and still answers",
                server.name()
            )
        }
        Way::Local => format!("the MongoDB already running at {LOCAL_URI}"),
        Way::Docker { pull: false } => format!(
            "a container started in Docker from {}, which is on this machine",
            settings.image
        ),
        Way::Docker { pull: true } => format!(
            "a container started in Docker from {}, downloaded on first use ({} does it now)",
            settings.image,
            command("cargo course prepare")
        ),
        Way::FerretDb { build: false } => format!(
            "FerretDB, a MongoDB-compatible server, started from the binary built earlier \
             ({}), since Docker does not answer",
            survey
                .ferretdb
                .as_ref()
                .map_or_else(String::new, |path| path.display().to_string())
        ),
        Way::FerretDb { build: true } => format!(
            "FerretDB, a MongoDB-compatible server, built once with Go ({}, {}; {} does it \
             now), since Docker does not answer",
            survey
                .go
                .as_ref()
                .map_or_else(String::new, |path| path.display().to_string()),
            mongodb_server::BUILD_TIME,
            command("cargo course prepare")
        ),
        Way::None => {
            return Err(mongodb_server::Error::NoWay {
                docker: survey.docker.as_ref().err().cloned().unwrap_or_default(),
                ferretdb: "Go is not installed".to_owned(),
            }
            .to_string());
        }
    })
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn settings() -> Settings {
        Settings {
            uri: None,
            image: "mongo:8.0".to_owned(),
            docker: true,
            local: true,
            go: None,
            cache: PathBuf::from("/cache/rust-course"),
        }
    }

    fn nothing() -> Survey {
        Survey {
            configured: None,
            recorded: None,
            local: false,
            docker: Err("does not answer".to_owned()),
            go: None,
            ferretdb: None,
        }
    }

    #[test]
    fn with_nothing_the_way_is_an_error_that_names_the_ways_out() {
        let error = way_sentence(&nothing(), &settings()).unwrap_err();
        assert!(error.contains("start Docker"), "{error}");
        assert!(error.contains("install Go"), "{error}");
        assert!(error.contains("MONGODB_URI"), "{error}");
    }

    #[test]
    fn with_go_and_no_docker_ferretdb_is_built() {
        let survey = Survey {
            go: Some(PathBuf::from("/usr/local/go/bin/go")),
            ..nothing()
        };
        let sentence = way_sentence(&survey, &settings()).unwrap();
        assert!(sentence.contains("FerretDB"), "{sentence}");
        assert!(sentence.contains("/usr/local/go/bin/go"), "{sentence}");
    }

    #[test]
    fn a_server_started_earlier_comes_before_docker_and_go() {
        let survey = Survey {
            recorded: Some((
                Server::FerretDb {
                    uri: "mongodb://127.0.0.1:40123".to_owned(),
                    pid: 7,
                },
                true,
            )),
            go: Some(PathBuf::from("/usr/local/go/bin/go")),
            ..nothing()
        };
        let sentence = way_sentence(&survey, &settings()).unwrap();
        assert!(sentence.contains("started earlier"), "{sentence}");
        assert!(sentence.contains("mongodb://127.0.0.1:40123"), "{sentence}");
    }
}
