//! The six wire-exact DIUN payloads in `testdata/diun/` parse with every
//! field as sent (and legacy shapes normalised).

use std::collections::BTreeMap;

use diun_core::DiunEvent;

/// Reads and parses `testdata/diun/<name>.json`.
pub fn fixture(name: &str) -> DiunEvent {
    DiunEvent::parse(&fixture_bytes(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The raw bytes of `testdata/diun/<name>.json`.
pub fn fixture_bytes(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../testdata/diun/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn docker_update_parses_every_field() {
    assert_eq!(
        fixture("docker-update"),
        DiunEvent {
            diun_version: "v4.33.0".into(),
            hostname: "a3f9c2b71d04".into(),
            status: "update".into(),
            provider: "docker".into(),
            image: "docker.io/library/postgres:16-alpine".into(),
            hub_link: "https://hub.docker.com/_/postgres".into(),
            mime_type: "application/vnd.oci.image.index.v1+json".into(),
            digest: "sha256:c7253132b85afd1c61dc4748fcd9c36d774f2b47c6d2a8721f61bfdfd6df9278"
                .into(),
            created: Some("2025-05-13T21:05:42.184297512Z".into()),
            platform: "linux/amd64".into(),
            metadata: map(&[
                ("ctn_command", "docker-entrypoint.sh postgres"),
                ("ctn_createdat", "2025-04-30 09:12:03 +0000 UTC"),
                (
                    "ctn_id",
                    "ba23071b92f66b7e39ba159da174fba0beb56703dc93b85d16e0965475b28efe"
                ),
                ("ctn_names", "app-db-1"),
                ("ctn_size", "63B (virtual 276MB)"),
                ("ctn_state", "running"),
                ("ctn_status", "Up 13 days (healthy)"),
            ]),
        }
    );
}

#[test]
fn dockerfile_with_null_created_and_metadata_parses() {
    assert_eq!(
        fixture("dockerfile-new-missing-optional"),
        DiunEvent {
            diun_version: "v4.25.0".into(),
            hostname: "7e21d90a4b3c".into(),
            status: "new".into(),
            provider: "dockerfile".into(),
            image: "quay.io/example-org/static-tool:0.4.0".into(),
            hub_link: "https://quay.io/repository/example-org/static-tool".into(),
            mime_type: "application/vnd.oci.image.manifest.v1+json".into(),
            digest: "sha256:ea3e6869841f102bdb95fc7358ad94097770136193d88ac06a56a1c5a318d613"
                .into(),
            created: None,
            platform: "linux/amd64".into(),
            metadata: BTreeMap::new(),
        }
    );
}

#[test]
fn kubernetes_new_keeps_the_large_pod_status() {
    let e = fixture("kubernetes-new");
    assert_eq!(e.diun_version, "v4.30.0");
    assert_eq!(e.hostname, "diun-6d8f7b9c5-x2kqp");
    assert_eq!(e.status, "new");
    assert_eq!(e.provider, "kubernetes");
    assert_eq!(e.image, "docker.io/library/nginx:1.27-alpine");
    assert_eq!(e.hub_link, "https://hub.docker.com/_/nginx");
    assert_eq!(e.mime_type, "application/vnd.oci.image.index.v1+json");
    assert_eq!(
        e.digest,
        "sha256:6cb98030b12e18412b903dc2eef7cb4ac21061746ffecfae258da2104b52e14a"
    );
    assert_eq!(e.created.as_deref(), Some("2025-02-05T21:27:16Z"));
    assert_eq!(e.platform, "linux/amd64");
    let keys: Vec<&str> = e.metadata.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "ctn_command",
            "ctn_name",
            "pod_createdat",
            "pod_name",
            "pod_namespace",
            "pod_status"
        ]
    );
    assert_eq!(e.metadata["ctn_command"], "");
    assert_eq!(e.metadata["ctn_name"], "web");
    assert_eq!(e.metadata["pod_createdat"], "2025-03-02 07:14:05 +0000 UTC");
    assert_eq!(e.metadata["pod_name"], "frontend-7c9d8f6b5-9wz4m");
    assert_eq!(e.metadata["pod_namespace"], "shop");
    let pod_status = &e.metadata["pod_status"];
    assert!(pod_status.starts_with("&PodStatus{Phase:Running,"));
    assert!(pod_status.ends_with("ObservedGeneration:1,ExtendedResourceClaimStatus:nil,}"));
    assert!(pod_status.len() > 2000);
}

#[test]
fn legacy_v2_joins_os_and_architecture() {
    assert_eq!(
        fixture("legacy-v2-architecture-os"),
        DiunEvent {
            diun_version: "2.6.1".into(),
            hostname: String::new(),
            status: "update".into(),
            provider: "docker".into(),
            image: "docker.io/library/traefik:1.7".into(),
            hub_link: String::new(),
            mime_type: "application/vnd.docker.distribution.manifest.list.v2+json".into(),
            digest: "sha256:59484d51f29bdda17f135bc2606cd0ec31b3ee89ce8b41d8cc97dff5ae242497"
                .into(),
            created: Some("2020-02-14T00:27:35.457398873Z".into()),
            platform: "linux/amd64".into(),
            metadata: BTreeMap::new(),
        }
    );
}

#[test]
fn swarm_tag_and_digest_parses() {
    assert_eq!(
        fixture("swarm-update-tag-and-digest"),
        DiunEvent {
            diun_version: "v4.31.0".into(),
            hostname: "swarm-manager-1".into(),
            status: "update".into(),
            provider: "swarm".into(),
            image: "docker.io/valkey/valkey:8.1@sha256:b3be27656a9ccdef6c509ddb427612636ed534bdad84a3bf85a766af7d8932b0".into(),
            hub_link: "https://hub.docker.com/r/valkey/valkey".into(),
            mime_type: "application/vnd.oci.image.index.v1+json".into(),
            digest: "sha256:bd17aed1d9b6dcf3ff9ad51767d8fbde16a6053b659de67149158c290502d6a2"
                .into(),
            created: Some("2025-04-23T16:02:31.846377055Z".into()),
            platform: "linux/amd64".into(),
            metadata: map(&[
                ("ctn_name", "stack_valkey"),
                ("svc_createdat", "2025-01-09 14:03:27.391874512 +0000 UTC"),
                ("svc_id", "b7adda00d1df6aee735bba737"),
                ("svc_updatedat", "2025-04-20 06:55:01.004210377 +0000 UTC"),
            ]),
        }
    );
}

#[test]
fn test_notification_parses_and_is_recognised() {
    let e = fixture("test-notif");
    assert_eq!(
        e,
        DiunEvent {
            diun_version: "v4.33.0".into(),
            hostname: "a3f9c2b71d04".into(),
            status: "new".into(),
            provider: "file".into(),
            image: "docker.io/diun/testnotif:latest".into(),
            hub_link: String::new(),
            mime_type: "application/vnd.docker.distribution.manifest.list.v2+json".into(),
            digest: "sha256:216e3ae7de4ca8b553eb11ef7abda00651e79e537e85c46108284e5e91673e01"
                .into(),
            created: Some("2020-03-26T12:23:56Z".into()),
            platform: "linux/amd64".into(),
            metadata: BTreeMap::new(),
        }
    );
    assert!(e.is_test_notification());
}
