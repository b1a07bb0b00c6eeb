import { describe, expect, it } from "vitest";
import { parseImageRef, shortDigest } from "./imageRef";

const D = "sha256:b3be27656a9ccdef6c509ddb427612636ed534bdad84a3bf85a766af7d8932b0";

describe("parseImageRef", () => {
  it.each([
    // [reference, registry, name, tag, digest, isDockerHub]
    ["docker.io/library/postgres:16-alpine", "docker.io", "postgres", "16-alpine", null, true],
    ["docker.io/valkey/valkey:8.1@" + D, "docker.io", "valkey/valkey", "8.1", D, true],
    ["docker.io/library/redis@" + D, "docker.io", "redis", null, D, true],
    ["registry.example.internal:5000/team/app:1.4.2", "registry.example.internal:5000", "team/app", "1.4.2", null, false],
    ["host:5000/app:1", "host:5000", "app", "1", null, false],
    ["host:5000/app", "host:5000", "app", null, null, false],
    ["host:5000/app@" + D, "host:5000", "app", null, D, false],
    ["host:5000/app:1@" + D, "host:5000", "app", "1", D, false],
    ["localhost:5000/x:dev", "localhost:5000", "x", "dev", null, false],
    ["localhost:5000/x", "localhost:5000", "x", null, null, false],
    ["localhost/x", "localhost", "x", null, null, false],
    ["quay.io/example-org/static-tool:0.4.0", "quay.io", "example-org/static-tool", "0.4.0", null, false],
    ["registry.gitlab.com/group/sub/deep/app:v1.2.3-rc.1", "registry.gitlab.com", "group/sub/deep/app", "v1.2.3-rc.1", null, false],
    ["ghcr.io/owner/app:latest", "ghcr.io", "owner/app", "latest", null, false],
    ["nginx", "docker.io", "nginx", null, null, true],
    ["nginx:1.27", "docker.io", "nginx", "1.27", null, true],
    ["user/app", "docker.io", "user/app", null, null, true],
    ["index.docker.io/library/nginx:latest", "index.docker.io", "nginx", "latest", null, true],
    ["docker.io/library/library-tools:1", "docker.io", "library-tools", "1", null, true],
    ["MyRegistry/app:1", "MyRegistry", "app", "1", null, false],
  ])("%s", (reference, registry, name, tag, digest, hub) => {
    const ref = parseImageRef(reference);
    expect(ref).toMatchObject({ raw: reference, registry, name, tag, digest, isDockerHub: hub });
  });

  it("keeps the full repository path for Docker Hub official images", () => {
    expect(parseImageRef("docker.io/library/nginx:latest").repository).toBe("library/nginx");
  });

  it("does not mistake a registry port for a tag", () => {
    const ref = parseImageRef("registry:5000/app");
    expect(ref.tag).toBeNull();
    expect(ref.registry).toBe("registry:5000");
  });
});

describe("shortDigest", () => {
  it("keeps the algorithm and 12 hex digits", () => {
    expect(shortDigest(D)).toBe("sha256:b3be27656a9c");
  });
  it("handles empty and bare digests", () => {
    expect(shortDigest("")).toBe("");
    expect(shortDigest(null)).toBe("");
    expect(shortDigest("abcdef0123456789")).toBe("abcdef012345");
  });
});
