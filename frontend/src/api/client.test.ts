import { afterEach, describe, expect, it, vi } from "vitest";
import { api, ApiError } from "./client";

afterEach(() => vi.unstubAllGlobals());

const respond = (body: string, init: ResponseInit = {}) => vi.fn(async () => new Response(body, { status: 200, ...init }));

describe("api client", () => {
  it("revalidates the updates and reports an unchanged ETag as unchanged", async () => {
    const fetch = respond("{}", { headers: { ETag: '"v1"' } });
    vi.stubGlobal("fetch", fetch);
    const first = await api.listUpdates();
    expect(first).toEqual({ changed: true, data: {}, version: 'etag "v1"' });
    expect(await api.listUpdates('etag "v1"')).toEqual({ changed: false });
    expect(fetch).toHaveBeenCalledWith("/api/updates", expect.objectContaining({ cache: "no-cache" }));
  });

  it("treats a bare 304 as unchanged", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => new Response(null, { status: 304 })));
    expect(await api.listUpdates('etag "v1"')).toEqual({ changed: false });
  });

  it("compares the body when the server sends no ETag", async () => {
    vi.stubGlobal("fetch", respond('[{"id":1,"name":"a"}]'));
    const first = await api.listTags();
    expect(first.changed).toBe(true);
    const version = first.changed ? first.version : null;
    expect(await api.listTags(version)).toEqual({ changed: false });
  });

  it("encodes the image as one path segment", async () => {
    const fetch = vi.fn(async () => new Response(null, { status: 204 }));
    vi.stubGlobal("fetch", fetch);
    await api.dismissUpdate("registry:5000/team/app:1@sha256:ab");
    expect(fetch).toHaveBeenCalledWith("/api/updates/registry%3A5000%2Fteam%2Fapp%3A1%40sha256%3Aab", expect.objectContaining({ method: "PATCH" }));
  });

  it("turns JSON errors and network failures into ApiError", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => new Response('{"code":"conflict","message":"a tag named `x` already exists"}', { status: 409 })));
    await expect(api.createTag("x")).rejects.toMatchObject({ status: 409, code: "conflict", message: "a tag named `x` already exists" });

    vi.stubGlobal("fetch", vi.fn(async () => new Response("<html>Bad gateway</html>", { status: 502, statusText: "Bad Gateway" })));
    await expect(api.deleteTag(1)).rejects.toMatchObject({ status: 502, message: "HTTP 502 Bad Gateway" });

    vi.stubGlobal("fetch", vi.fn(async () => Promise.reject(new TypeError("Failed to fetch"))));
    const err = await api.listUpdates().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 0, code: "network" });
  });
});
