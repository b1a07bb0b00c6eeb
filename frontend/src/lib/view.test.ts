import { describe, expect, it } from "vitest";
import { sampleUpdates } from "../test/data";
import { toRows } from "./rows";
import { applyView, DEFAULT_VIEW, isFiltered, parseView, serializeView, type ViewState } from "./view";

const rows = toRows(sampleUpdates());
const names = (view: Partial<ViewState>) => applyView(rows, { ...DEFAULT_VIEW, ...view }).map((r) => r.ref.name);

describe("applyView", () => {
  it("sorts by newest received by default", () => {
    expect(names({})).toEqual(["postgres", "nginx", "example-org/static-tool", "valkey/valkey", "diun/testnotif", "traefik"]);
  });

  it("sorts by image name", () => {
    expect(names({ sort: "image" })).toEqual(["diun/testnotif", "example-org/static-tool", "nginx", "postgres", "traefik", "valkey/valkey"]);
  });

  it("searches image, DIUN host and container, case-insensitively, every word", () => {
    expect(names({ q: "POSTGRES" })).toEqual(["postgres"]);
    expect(names({ q: "swarm-manager" })).toEqual(["valkey/valkey"]);
    expect(names({ q: "app-db" })).toEqual(["postgres"]);
    expect(names({ q: "shop/frontend" })).toEqual(["nginx"]);
    expect(names({ q: "quay.io" })).toEqual(["example-org/static-tool"]);
    expect(names({ q: "a3f9c2b71d04 test" })).toEqual(["diun/testnotif"]);
    expect(names({ q: "  " })).toHaveLength(6);
    expect(names({ q: "nothing-like-this" })).toEqual([]);
  });

  it("filters by status", () => {
    expect(names({ status: "acknowledged" })).toEqual(["traefik"]);
    expect(names({ status: "pending" })).toHaveLength(5);
  });

  it("filters by tag, untagged, DIUN host and provider", () => {
    expect(names({ tag: "1" })).toEqual(["postgres"]);
    expect(names({ tag: "none" })).toEqual(["nginx", "example-org/static-tool", "diun/testnotif", "traefik"]);
    expect(names({ host: "a3f9c2b71d04" })).toEqual(["postgres", "diun/testnotif"]);
    expect(names({ provider: "swarm" })).toEqual(["valkey/valkey"]);
    expect(names({ provider: "docker", status: "pending" })).toEqual(["postgres"]);
  });
});

describe("URL state", () => {
  it("round-trips every field", () => {
    const view: ViewState = { q: "nginx web", status: "pending", tag: "12", host: "host a&b", provider: "kubernetes", sort: "image", groupByTag: true };
    const search = serializeView(view);
    expect(search).toBe("?q=nginx+web&status=pending&tag=12&host=host+a%26b&provider=kubernetes&sort=image&group=tag");
    expect(parseView(search)).toEqual(view);
  });

  it("writes nothing for the default view and reads defaults from an empty query", () => {
    expect(serializeView(DEFAULT_VIEW)).toBe("");
    expect(parseView("")).toEqual(DEFAULT_VIEW);
    expect(isFiltered(DEFAULT_VIEW)).toBe(false);
  });

  it("ignores unknown or invalid values", () => {
    expect(parseView("?status=bogus&sort=size&tag=abc&group=yes&utm=x")).toEqual(DEFAULT_VIEW);
    expect(parseView("?tag=none").tag).toBe("none");
  });
});
