// An in-memory stand-in for the server's API, installed as the global fetch in component tests.
import { vi } from "vitest";
import type { EventRecord, Tag, UpdatesMap } from "../api/types";

export interface FakeServer {
  updates: UpdatesMap;
  tags: Tag[];
  history: Record<string, EventRecord[]>;
  /** Every request seen, as "METHOD path" plus the parsed body. */
  calls: { method: string; path: string; body: unknown }[];
  /** Return a Response (or throw) to override one request. */
  intercept?: (method: string, path: string) => Response | Promise<Response> | undefined;
  fetch: ReturnType<typeof vi.fn>;
}

const json = (status: number, body?: unknown) =>
  new Response(body === undefined ? null : JSON.stringify(body), { status, headers: body === undefined ? {} : { "Content-Type": "application/json" } });

const error = (status: number, code: string, message: string) => json(status, { code, message });

export function fakeServer(updates: UpdatesMap, tags: Tag[] = []): FakeServer {
  const server: FakeServer = { updates, tags, history: {}, calls: [], fetch: vi.fn() };
  let nextTagId = Math.max(0, ...tags.map((t) => t.id)) + 1;

  server.fetch.mockImplementation(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), "http://localhost");
    const method = (init.method ?? "GET").toUpperCase();
    const body = typeof init.body === "string" ? JSON.parse(init.body) : undefined;
    server.calls.push({ method, path: url.pathname + url.search, body });
    const custom = server.intercept?.(method, url.pathname + url.search);
    if (custom) return custom;

    const path = url.pathname;
    if (method === "GET" && path === "/api/updates") return json(200, server.updates);
    if (method === "GET" && path === "/api/tags") return json(200, [...server.tags].sort((a, b) => a.name.localeCompare(b.name)));
    if (method === "POST" && path === "/api/tags") {
      const name = String(body?.name ?? "").trim();
      if (!name) return error(400, "invalid", "name must not be empty");
      if (server.tags.some((t) => t.name === name)) return error(409, "conflict", "tag exists");
      const tag = { id: nextTagId++, name };
      server.tags.push(tag);
      return json(201, tag);
    }
    const tagMatch = /^\/api\/tags\/(\d+)$/.exec(path);
    if (method === "DELETE" && tagMatch) {
      const id = Number(tagMatch[1]);
      if (!server.tags.some((t) => t.id === id)) return error(404, "not_found", "no such tag");
      server.tags = server.tags.filter((t) => t.id !== id);
      for (const e of Object.values(server.updates)) if (e.tag?.id === id) e.tag = null;
      return json(204);
    }
    if (path === "/api/tag-assignments") {
      const target = server.updates[body.image];
      if (method === "PUT") {
        const tag = server.tags.find((t) => t.id === body.tag_id);
        if (!tag) return error(404, "not_found", "no such tag");
        if (target) target.tag = tag;
        return json(204);
      }
      if (method === "DELETE") {
        if (target) target.tag = null;
        return json(204);
      }
    }
    const updateMatch = /^\/api\/updates\/([^/]+)(\/events)?$/.exec(path);
    if (updateMatch) {
      const image = decodeURIComponent(updateMatch[1]);
      if (!server.updates[image]) return error(404, "not_found", `no updates for ${image}`);
      if (method === "PATCH" && !updateMatch[2]) {
        server.updates[image] = { ...server.updates[image], acknowledged: true, acknowledged_at: "2026-01-10T12:30:00Z" };
        return json(204);
      }
      if (method === "GET" && updateMatch[2]) {
        const limit = Number(url.searchParams.get("limit") ?? 50);
        const before = url.searchParams.get("before");
        const all = server.history[image] ?? [];
        return json(200, all.filter((r) => before === null || r.id < Number(before)).slice(0, limit));
      }
    }
    return error(404, "not_found", `no route ${method} ${path}`);
  });
  vi.stubGlobal("fetch", server.fetch);
  return server;
}

export { error as errorResponse };
