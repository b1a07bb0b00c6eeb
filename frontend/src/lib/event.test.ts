import { describe, expect, it } from "vitest";
import type { DiunEvent } from "../api/types";
import { events } from "../test/data";
import { containerOf, isTestNotification, safeHttpUrl } from "./event";

const withMeta = (provider: string, metadata: Record<string, string> | null): DiunEvent => ({ ...events.docker, provider, metadata });

describe("containerOf", () => {
  it("uses each provider's own metadata key", () => {
    expect(containerOf(events.docker)).toEqual({ name: "app-db-1" });
    expect(containerOf(events.swarm)).toEqual({ name: "stack_valkey" });
    expect(containerOf(events.kubernetes)).toEqual({ name: "web", detail: "shop/frontend-7c9d8f6b5-9wz4m" });
    expect(containerOf(withMeta("containerd", { ctn_name: "redis-1" }))).toEqual({ name: "redis-1" });
    expect(containerOf(withMeta("nomad", { task_name: "api", job_name: "billing" }))).toEqual({ name: "api", detail: "billing" });
  });

  it("joins several docker containers", () => {
    expect(containerOf(withMeta("docker", { ctn_names: "a-1,b-1" }))?.name).toBe("a-1, b-1");
  });

  it("has none for file and dockerfile, null metadata or a missing key", () => {
    expect(containerOf(events.dockerfile)).toBeNull();
    expect(containerOf(events.testNotif)).toBeNull();
    expect(containerOf(withMeta("file", { ctn_name: "x" }))).toBeNull();
    expect(containerOf(withMeta("docker", null))).toBeNull();
    expect(containerOf(withMeta("docker", { ctn_name: "wrong key" }))).toBeNull();
  });

  it("falls back to the pod when a kubernetes event lacks ctn_name", () => {
    expect(containerOf(withMeta("kubernetes", { pod_name: "p", pod_namespace: "ns" }))).toEqual({ name: "ns/p" });
  });
});

describe("isTestNotification", () => {
  it("recognises the current and the pre-4.4.1 test entry", () => {
    expect(isTestNotification(events.testNotif)).toBe(true);
    expect(isTestNotification({ image: "docker.io/crazymax/diun:latest", provider: "file" })).toBe(true);
  });
  it("does not flag the real crazymax/diun image watched by docker", () => {
    expect(isTestNotification({ image: "docker.io/crazymax/diun:latest", provider: "docker" })).toBe(false);
    expect(isTestNotification(events.docker)).toBe(false);
  });
});

describe("safeHttpUrl", () => {
  it("allows only absolute http(s) links", () => {
    expect(safeHttpUrl("https://hub.docker.com/_/postgres")).toBe("https://hub.docker.com/_/postgres");
    expect(safeHttpUrl("http://dockhand.pro")).toBe("http://dockhand.pro/");
    expect(safeHttpUrl("javascript:alert(1)")).toBeNull();
    expect(safeHttpUrl("data:text/html,hi")).toBeNull();
    expect(safeHttpUrl("//evil.example")).toBeNull();
    expect(safeHttpUrl("")).toBeNull();
  });
});
