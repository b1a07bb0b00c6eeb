// Test data shaped like the server's answers, built from the six real DIUN payloads in shared/fixtures.
import type { DiunEvent, Tag, UpdateEntry, UpdatesMap } from "../api/types";

export const events = {
  docker: {
    diun_version: "v4.33.0",
    hostname: "a3f9c2b71d04",
    status: "update",
    provider: "docker",
    image: "docker.io/library/postgres:16-alpine",
    hub_link: "https://hub.docker.com/_/postgres",
    mime_type: "application/vnd.oci.image.index.v1+json",
    digest: "sha256:c7253132b85afd1c61dc4748fcd9c36d774f2b47c6d2a8721f61bfdfd6df9278",
    created: "2025-05-13T21:05:42.184297512Z",
    platform: "linux/amd64",
    metadata: { ctn_names: "app-db-1", ctn_state: "running", ctn_id: "ba23071b92f6" },
  },
  kubernetes: {
    diun_version: "v4.30.0",
    hostname: "diun-6d8f7b9c5-x2kqp",
    status: "new",
    provider: "kubernetes",
    image: "docker.io/library/nginx:1.27-alpine",
    hub_link: "https://hub.docker.com/_/nginx",
    mime_type: "application/vnd.oci.image.index.v1+json",
    digest: "sha256:6cb98030b12e18412b903dc2eef7cb4ac21061746ffecfae258da2104b52e14a",
    created: "2025-02-05T21:27:16Z",
    platform: "linux/amd64",
    metadata: { ctn_name: "web", pod_name: "frontend-7c9d8f6b5-9wz4m", pod_namespace: "shop", pod_status: "&PodStatus{...}" },
  },
  dockerfile: {
    diun_version: "v4.25.0",
    hostname: "7e21d90a4b3c",
    status: "new",
    provider: "dockerfile",
    image: "quay.io/example-org/static-tool:0.4.0",
    hub_link: "https://quay.io/repository/example-org/static-tool",
    mime_type: "application/vnd.oci.image.manifest.v1+json",
    digest: "sha256:ea3e6869841f102bdb95fc7358ad94097770136193d88ac06a56a1c5a318d613",
    created: null,
    platform: "linux/amd64",
    metadata: null,
  },
  swarm: {
    diun_version: "v4.31.0",
    hostname: "swarm-manager-1",
    status: "update",
    provider: "swarm",
    image: "docker.io/valkey/valkey:8.1@sha256:b3be27656a9ccdef6c509ddb427612636ed534bdad84a3bf85a766af7d8932b0",
    hub_link: "https://hub.docker.com/r/valkey/valkey",
    mime_type: "application/vnd.oci.image.index.v1+json",
    digest: "sha256:bd17aed1d9b6dcf3ff9ad51767d8fbde16a6053b659de67149158c290502d6a2",
    created: "2025-04-23T16:02:31.846377055Z",
    platform: "linux/amd64",
    metadata: { ctn_name: "stack_valkey", svc_id: "b7adda00d1df6aee735bba737" },
  },
  testNotif: {
    diun_version: "v4.33.0",
    hostname: "a3f9c2b71d04",
    status: "new",
    provider: "file",
    image: "docker.io/diun/testnotif:latest",
    hub_link: "",
    mime_type: "application/vnd.docker.distribution.manifest.list.v2+json",
    digest: "sha256:216e3ae7de4ca8b553eb11ef7abda00651e79e537e85c46108284e5e91673e01",
    created: "2020-03-26T12:23:56Z",
    platform: "linux/amd64",
    metadata: null,
  },
  legacy: {
    diun_version: "2.6.1",
    hostname: "",
    status: "update",
    provider: "docker",
    image: "docker.io/library/traefik:1.7",
    hub_link: "",
    mime_type: "application/vnd.docker.distribution.manifest.list.v2+json",
    digest: "sha256:59484d51f29bdda17f135bc2606cd0ec31b3ee89ce8b41d8cc97dff5ae242497",
    created: "2020-02-14T00:27:35.457398873Z",
    platform: "linux/amd64",
    metadata: null,
  },
} satisfies Record<string, DiunEvent>;

export function entry(event: DiunEvent, opts: { received_at?: string; acknowledged?: boolean; tag?: Tag | null } = {}): UpdateEntry {
  return {
    event,
    received_at: opts.received_at ?? "2026-01-10T12:00:00Z",
    acknowledged: opts.acknowledged ?? false,
    acknowledged_at: opts.acknowledged ? "2026-01-10T12:30:00Z" : null,
    tag: opts.tag ?? null,
  };
}

export const prod: Tag = { id: 1, name: "production" };
export const staging: Tag = { id: 2, name: "Staging" };

/** Six images received one minute apart (docker newest), two tagged, one acknowledged. */
export function sampleUpdates(): UpdatesMap {
  const order = ["docker", "kubernetes", "dockerfile", "swarm", "testNotif", "legacy"] as const;
  const map: UpdatesMap = {};
  order.forEach((key, i) => {
    const e = events[key];
    map[e.image] = entry(e, {
      received_at: `2026-01-10T12:0${9 - i}:00Z`,
      acknowledged: key === "legacy",
      tag: key === "docker" ? prod : key === "swarm" ? staging : null,
    });
  });
  return map;
}
