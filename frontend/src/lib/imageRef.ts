// Splits a DIUN image reference (always normalised, e.g. `docker.io/library/nginx:latest`) into
// the parts people read. Follows the distribution reference grammar rather than "split on the
// last colon", which breaks on registry ports (`host:5000/app`) and digests.

export interface ImageRef {
  raw: string;
  /** Registry host, with port when present; `docker.io` when the reference names none. */
  registry: string;
  isDockerHub: boolean;
  /** Full repository path inside the registry, e.g. `library/postgres`. */
  repository: string;
  /** What to show: the repository, with Docker Hub's `library/` dropped. */
  name: string;
  tag: string | null;
  /** `sha256:<hex>` when the reference is pinned. */
  digest: string | null;
}

const DOCKER_HUB = new Set(["docker.io", "index.docker.io", "registry-1.docker.io"]);

function looksLikeRegistry(component: string): boolean {
  return component.includes(".") || component.includes(":") || component === "localhost" || component !== component.toLowerCase();
}

export function parseImageRef(reference: string): ImageRef {
  const raw = reference.trim();
  let rest = raw;
  let digest: string | null = null;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1) || null;
    rest = rest.slice(0, at);
  }

  let registry = "docker.io";
  const slash = rest.indexOf("/");
  if (slash > 0 && looksLikeRegistry(rest.slice(0, slash))) {
    registry = rest.slice(0, slash);
    rest = rest.slice(slash + 1);
  }

  // The registry (and its port) is gone, so a colon after the last slash can only start the tag.
  let tag: string | null = null;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1) || null;
    rest = rest.slice(0, colon);
  }

  const isDockerHub = DOCKER_HUB.has(registry.toLowerCase());
  const name = isDockerHub && rest.startsWith("library/") ? rest.slice("library/".length) : rest;
  return { raw, registry, isDockerHub, repository: rest, name, tag, digest };
}

/** `sha256:c7253132b85a…` → `sha256:c7253132b85a` (12 hex digits, like `docker images`). */
export function shortDigest(digest: string | null | undefined): string {
  if (!digest) return "";
  const colon = digest.indexOf(":");
  const algo = colon >= 0 ? digest.slice(0, colon) : "";
  const hex = colon >= 0 ? digest.slice(colon + 1) : digest;
  return algo ? `${algo}:${hex.slice(0, 12)}` : hex.slice(0, 12);
}
