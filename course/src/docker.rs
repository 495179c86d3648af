//! Talking to Docker through its API (bollard, as re-exported by
//! testcontainers), so no `docker` command line is needed. `DOCKER_HOST` is
//! honoured, as it is by the tests.

use std::collections::HashMap;
use std::time::Duration;

use futures::StreamExt;
use testcontainers_modules::testcontainers::bollard::Docker;
use testcontainers_modules::testcontainers::bollard::query_parameters::{
    CreateImageOptions, ListContainersOptions, RemoveContainerOptions,
};

/// The label the test support puts on every MongoDB container it starts.
pub const COURSE_LABEL: &str = "rust-course=mongodb";

/// How long Docker may take to answer a ping.
const PING_TIMEOUT: Duration = Duration::from_secs(5);

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

/// The Docker server's version, such as `27.3.1`.
pub async fn version(docker: &Docker) -> Option<String> {
    docker.version().await.ok()?.version
}

/// Whether `image` (such as `mongo:8.0`) is already on this machine.
pub async fn has_image(docker: &Docker, image: &str) -> bool {
    docker.inspect_image(image).await.is_ok()
}

/// Downloads `image`, printing Docker's progress messages as they change.
pub async fn pull(docker: &Docker, image: &str) -> Result<(), String> {
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
            anstream::println!("  {status}");
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

#[cfg(test)]
mod tests {
    use testcontainers_modules::testcontainers::bollard::models::ContainerCreateBody;
    use testcontainers_modules::testcontainers::bollard::query_parameters::{
        CreateContainerOptions, ListImagesOptions,
    };

    use super::*;

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
        let name = format!("course-runner-test-{label_value}");
        let body = ContainerCreateBody {
            image: Some(image.clone()),
            labels: Some(HashMap::from([(
                "course-runner-test".to_owned(),
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

        let removed =
            remove_containers_labelled(&docker, &format!("course-runner-test={label_value}"))
                .await
                .unwrap();
        assert_eq!(removed, [name]);
        let again =
            remove_containers_labelled(&docker, &format!("course-runner-test={label_value}"))
                .await
                .unwrap();
        assert!(again.is_empty());
    }
}
