// The one module that talks to the server. Every call resolves to typed data or throws ApiError.
import type { CreateTag, ErrorBody, EventRecord, Tag, TagAssignment, Unassignment, UpdatesMap } from "./types";

export class ApiError extends Error {
  /** HTTP status, or 0 when the server could not be reached at all. */
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
  }
}

const TIMEOUT_MS = 10_000;

async function send(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("Accept", "application/json");
  if (init.body !== undefined) headers.set("Content-Type", "application/json");
  // A hung server must surface as "unreachable" rather than a poll that never returns.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers, signal: controller.signal });
  } catch (err) {
    const timedOut = controller.signal.aborted;
    throw new ApiError(0, timedOut ? "timeout" : "network", timedOut ? "The server did not answer in time" : "The server is unreachable");
  } finally {
    clearTimeout(timer);
  }
  if (!res.ok && res.status !== 304) throw await errorFrom(res);
  return res;
}

async function errorFrom(res: Response): Promise<ApiError> {
  let body: Partial<ErrorBody> | undefined;
  try {
    body = (await res.json()) as Partial<ErrorBody>;
  } catch {
    body = undefined;
  }
  const message = typeof body?.message === "string" && body.message ? body.message : `HTTP ${res.status} ${res.statusText}`.trim();
  return new ApiError(res.status, typeof body?.code === "string" ? body.code : "http_error", message);
}

// Typed by the spec's request schemas.
const json = <T,>(value: T) => JSON.stringify(value);
const imagePath = (image: string) => `/api/updates/${encodeURIComponent(image)}`;

/** `version` identifies what was fetched (the ETag, or else the body itself); pass it back next time. */
export type Fetched<T> = { changed: false } | { changed: true; data: T; version: string };

/**
 * GET that reports "nothing new" so the UI can skip re-rendering. `cache: "no-cache"` makes the
 * browser revalidate with If-None-Match and hand back its cached 200 on a 304, so a known ETag
 * means unchanged; without an ETag the body text is compared instead.
 */
async function getRevalidated<T>(path: string, version: string | null): Promise<Fetched<T>> {
  const res = await send(path, { cache: "no-cache" });
  if (res.status === 304) return { changed: false };
  const etag = res.headers.get("ETag");
  if (etag !== null && version === `etag ${etag}`) return { changed: false };
  const text = await res.text();
  const next = etag !== null ? `etag ${etag}` : text;
  if (next === version) return { changed: false };
  return { changed: true, data: JSON.parse(text) as T, version: next };
}

export const api = {
  listUpdates: (version: string | null = null) => getRevalidated<UpdatesMap>("/api/updates", version),

  dismissUpdate: async (image: string): Promise<void> => {
    await send(imagePath(image), { method: "PATCH" });
  },

  listEvents: async (image: string, opts: { limit?: number; before?: number } = {}): Promise<EventRecord[]> => {
    const params = new URLSearchParams({ limit: String(opts.limit ?? 50) });
    if (opts.before !== undefined) params.set("before", String(opts.before));
    const res = await send(`${imagePath(image)}/events?${params}`);
    return (await res.json()) as EventRecord[];
  },

  listTags: (version: string | null = null) => getRevalidated<Tag[]>("/api/tags", version),

  createTag: async (name: string): Promise<Tag> => {
    const res = await send("/api/tags", { method: "POST", body: json<CreateTag>({ name }) });
    return (await res.json()) as Tag;
  },

  deleteTag: async (id: number): Promise<void> => {
    await send(`/api/tags/${id}`, { method: "DELETE" });
  },

  assignTag: async (image: string, tagId: number): Promise<void> => {
    await send("/api/tag-assignments", { method: "PUT", body: json<TagAssignment>({ image, tag_id: tagId }) });
  },

  unassignTag: async (image: string): Promise<void> => {
    await send("/api/tag-assignments", { method: "DELETE", body: json<Unassignment>({ image }) });
  },
};

export type Api = typeof api;

/** A message fit for a person, whatever was thrown. */
export function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
