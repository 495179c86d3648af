//! The Docker way: the course's MongoDB container, started with
//! testcontainers and kept between runs; and the Docker API calls that
//! `cargo course` needs (bollard, as re-exported by testcontainers).
//! `DOCKER_HOST` is honoured.

use std::collections::HashMap;
use std::time::Duration;

use futures::StreamExt;
use testcontainers_modules::mongo::Mongo;
use testcontainers_modules::testcontainers::bollard::Docker;
use testcontainers_modules::testcontainers::bollard::query_parameters::{
    CreateImageOptions, ListContainersOptions, RemoveContainerOptions,
};
use testcontainers_modules::testcontainers::core::IntoContainerPort;
use testcontainers_modules::testcontainers::runners::AsyncRunner;
use testcontainers_modules::testcontainers::{ImageExt, ReuseDirective};

use crate::{STARTUP_TIMEOUT, Server, Settings, say, wait_until_ready};

/// The label on every MongoDB container the course starts.
pub const COURSE_LABEL: &str = "rust-course=mongodb";

/// How long Docker may take to answer a ping.
const PING_TIMEOUT: Duration = Duration::from_secs(5);

/// Docker, as the course sees it.
#[derive(Debug, Clone)]
pub struct DockerState {
    /// The Docker server's version, such as `27.3.1`.
    pub version: Option<String>,
    /// The image the course would start.
    pub image: String,
    /// Whether that image is already on this machine.
    pub has_image: bool,
}

/// Connects to Docker and checks it answers.
pub async fn connect() -> Result<Docker, String> {
    let docker = Docker::connect_with_defaults().map_err(|err| err.to_string())?;
    match tokio::time::timeout(PING_TIMEOUT, docker.ping()).await {
        Ok(Ok(_)) => Ok(docker),
        Ok(Err(err)) => Err(err.to_string()),
        Err(_) => Err(format!("no answer within {} s", PING_TIMEOUT.as_secs())),
    }
}

/// Where Docker is looked for, for messages.
pub fn address() -> String {
    std::env::var("DOCKER_HOST").unwrap_or_else(|_| "the default Docker socket".to_owned())
}

/// Docker's version and whether it has `image`, or why it cannot be used.
pub async fn state(image: &str) -> Result<DockerState, String> {
    // The client's own words ("client error (Connect)") tell a person
    // nothing more than this does.
    let docker = connect()
        .await
        .map_err(|_| format!("does not answer at {}", address()))?;
    Ok(DockerState {
        version: docker.version().await.ok().and_then(|v| v.version),
        image: image.to_owned(),
        has_image: has_image(&docker, image).await,
    })
}

/// Whether `image` (such as `mongo:8.0`) is already on this machine.
pub async fn has_image(docker: &Docker, image: &str) -> bool {
    docker.inspect_image(image).await.is_ok()
}

/// Downloads `image`, giving Docker's progress messages to `progress` as
/// they change.
pub async fn pull(
    docker: &Docker,
    image: &str,
    progress: &mut (dyn FnMut(&str) + Send),
) -> Result<(), String> {
    let (name, tag) = image.rsplit_once(':').unwrap_or((image, "latest"));
    let options = CreateImageOptions {
        from_image: Some(name.to_owned()),
        tag: Some(tag.to_owned()),
        ..Default::default()
    };
    let mut stream = docker.create_image(Some(options), None, None);
    let mut last_status = String::new();
    while let Some(item) = stream.next().await {
        let info = item.map_err(|err| err.to_string())?;
        if let Some(status) = info.status
            && status != last_status
        {
            progress(&status);
            last_status = status;
        }
    }
    Ok(())
}

/// Removes every container (running or not) with `label`, such as
/// [`COURSE_LABEL`]; returns their names.
pub async fn remove_containers_labelled(
    docker: &Docker,
    label: &str,
) -> Result<Vec<String>, String> {
    let options = ListContainersOptions {
        all: true,
        filters: Some(HashMap::from([(
            "label".to_owned(),
            vec![label.to_owned()],
        )])),
        ..Default::default()
    };
    let containers = docker
        .list_containers(Some(options))
        .await
        .map_err(|err| err.to_string())?;
    let mut removed = Vec::new();
    for container in containers {
        let Some(id) = container.id else { continue };
        let name = container
            .names
            .and_then(|names| names.into_iter().next())
            .map_or_else(
                || id.clone(),
                |name| name.trim_start_matches('/').to_owned(),
            );
        let force = RemoveContainerOptions {
            force: true,
            ..Default::default()
        };
        docker
            .remove_container(&id, Some(force))
            .await
            .map_err(|err| format!("cannot remove {name}: {err}"))?;
        removed.push(name);
    }
    Ok(removed)
}

/// Starts (or finds, from an earlier run) the course's container, pulling
/// the image first when it is missing. Returns why not when Docker cannot
/// be used, so that the next way is tried.
pub async fn find_or_start(settings: &Settings) -> Result<Server, String> {
    if !settings.docker {
        return Err("not tried".to_owned());
    }
    let image = &settings.image;
    let docker = connect()
        .await
        .map_err(|err| format!("does not answer at {}: {err}", address()))?;
    if !has_image(&docker, image).await {
        say(&format!(
            "Downloading the MongoDB image {image} with Docker…"
        ));
        pull(&docker, image, &mut |status| say(&format!("  {status}")))
            .await
            .map_err(|err| format!("answers, but cannot download {image}: {err}"))?;
    }
    let (uri, container) = start_container(image)
        .await
        .map_err(|err| format!("cannot start {image}: {err}"))?;
    wait_until_ready(&uri, STARTUP_TIMEOUT)
        .await
        .map_err(|err| format!("started {image}, which never answered at {uri}: {err}"))?;
    Ok(Server::Docker {
        uri,
        container,
        image: image.clone(),
    })
}

/// Starts (or finds) the course's container for `image`; returns its
/// connection string and id.
async fn start_container(image: &str) -> Result<(String, String), String> {
    let (name, tag) = image.rsplit_once(':').unwrap_or((image, "latest"));
    let container_name = format!("rust-course-mongodb-{}", sanitise(image));
    let request = || {
        Mongo::default()
            .with_name(name)
            .with_tag(tag)
            // Readiness is checked with a real `ping`, which works for every
            // MongoDB-compatible server, not with a log line that only the
            // official image prints.
            .with_ready_conditions(Vec::new())
            .with_container_name(&container_name)
            .with_label("rust-course", "mongodb")
            // Keep the container after the tests, so the next run is quick.
            .with_reuse(ReuseDirective::Always)
    };
    // Two runs at once may both try to create the container; the loser of
    // that race finds the winner's container on its second try.
    let container = match request().start().await {
        Ok(container) => container,
        Err(_) => request().start().await.map_err(|err| err.to_string())?,
    };
    let host = container.get_host().await.map_err(|err| err.to_string())?;
    let port = container
        .get_host_port_ipv4(27017.tcp())
        .await
        .map_err(|err| err.to_string())?;
    Ok((
        format!("mongodb://{host}:{port}"),
        container.id().to_owned(),
    ))
}

/// Keeps letters and digits, in lower case; everything else becomes `_`:
/// a name Docker and MongoDB both accept.
pub fn sanitise(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use testcontainers_modules::testcontainers::bollard::models::ContainerCreateBody;
    use testcontainers_modules::testcontainers::bollard::query_parameters::{
        CreateContainerOptions, ListImagesOptions,
    };

    use super::*;

    #[test]
    fn container_names_are_safe() {
        assert_eq!(sanitise("mongo:8.0"), "mongo_8_0");
    }

    /// Creates (without starting) a container with a label of this test's
    /// own, and removes it by that label. Other containers, such as the
    /// course's MongoDB, are never touched. Skipped without Docker or images.
    #[tokio::test]
    async fn containers_are_removed_by_label() {
        let Ok(docker) = connect().await else {
            eprintln!("Docker does not answer: skipped");
            return;
        };
        let images = docker
            .list_images(None::<ListImagesOptions>)
            .await
            .unwrap_or_default();
        let Some(image) = images
            .iter()
            .flat_map(|image| image.repo_tags.iter())
            .find(|tag| !tag.contains("<none>"))
        else {
            eprintln!("no local image to make a container from: skipped");
            return;
        };
        let label_value = format!("{}", std::process::id());
        let name = format!("course-mongodb-server-test-{label_value}");
        let body = ContainerCreateBody {
            image: Some(image.clone()),
            labels: Some(HashMap::from([(
                "course-mongodb-server-test".to_owned(),
                label_value.clone(),
            )])),
            ..Default::default()
        };
        let options = CreateContainerOptions {
            name: Some(name.clone()),
            ..Default::default()
        };
        docker
            .create_container(Some(options), body)
            .await
            .expect("create a test container");

        let label = format!("course-mongodb-server-test={label_value}");
        let removed = remove_containers_labelled(&docker, &label).await.unwrap();
        assert_eq!(removed, [name]);
        let again = remove_containers_labelled(&docker, &label).await.unwrap();
        assert!(again.is_empty());
    }
}
