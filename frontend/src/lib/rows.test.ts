import { describe, expect, it } from "vitest";
import { entry, events, prod, sampleUpdates, staging } from "../test/data";
import { groupByTag, toRows } from "./rows";

describe("groupByTag", () => {
  it("orders sections by tag name, case-insensitively, with untagged last", () => {
    const alpha = { id: 9, name: "alpha" };
    const rows = toRows({
      a: entry(events.docker),
      b: entry(events.swarm, { tag: staging }),
      c: entry(events.kubernetes, { tag: prod }),
      d: entry(events.dockerfile, { tag: alpha }),
      e: entry(events.legacy, { tag: prod }),
    });
    const groups = groupByTag(rows);
    expect(groups.map((g) => g.tag?.name ?? "untagged")).toEqual(["alpha", "production", "Staging", "untagged"]);
    expect(groups[1].rows.map((r) => r.image)).toEqual(["c", "e"]);
    expect(groups.map((g) => g.key)).toEqual(["tag:9", "tag:1", "tag:2", "untagged"]);
  });

  it("has no untagged section when every image is tagged, and none at all without rows", () => {
    expect(groupByTag(toRows({ a: entry(events.docker, { tag: prod }) })).map((g) => g.key)).toEqual(["tag:1"]);
    expect(groupByTag([])).toEqual([]);
  });
});

describe("toRows", () => {
  it("prepares display fields once", () => {
    const rows = toRows(sampleUpdates());
    const test = rows.find((r) => r.isTest);
    expect(test?.image).toBe("docker.io/diun/testnotif:latest");
    const k8s = rows.find((r) => r.entry.event.provider === "kubernetes")!;
    expect(k8s.ref.name).toBe("nginx");
    expect(k8s.haystack).toContain("shop/frontend");
    expect(rows.map((r) => r.nameRank)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(rows.map((r) => r.ref.name)).toEqual(["diun/testnotif", "example-org/static-tool", "nginx", "postgres", "traefik", "valkey/valkey"]);
  });
});
