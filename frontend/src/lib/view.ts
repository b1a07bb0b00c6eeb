// What the user is looking at (search, filters, sort, grouping), kept in the URL query string so
// a view can be bookmarked and survives a reload. Only values that differ from the default appear.
import type { UpdateRowModel } from "./rows";

export type StatusFilter = "all" | "pending" | "acknowledged";
export type SortKey = "received" | "image";

export interface ViewState {
  q: string;
  status: StatusFilter;
  /** "" = any tag, "none" = untagged only, otherwise a tag id. */
  tag: string;
  host: string;
  provider: string;
  sort: SortKey;
  groupByTag: boolean;
}

export const DEFAULT_VIEW: ViewState = {
  q: "",
  status: "all",
  tag: "",
  host: "",
  provider: "",
  sort: "received",
  groupByTag: false,
};

const STATUSES: readonly StatusFilter[] = ["all", "pending", "acknowledged"];
const SORTS: readonly SortKey[] = ["received", "image"];

function oneOf<T extends string>(value: string | null, allowed: readonly T[], fallback: T): T {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

export function parseView(search: string): ViewState {
  const p = new URLSearchParams(search);
  const tag = p.get("tag") ?? "";
  return {
    q: p.get("q") ?? "",
    status: oneOf(p.get("status"), STATUSES, DEFAULT_VIEW.status),
    tag: tag === "none" || /^\d+$/.test(tag) ? tag : "",
    host: p.get("host") ?? "",
    provider: p.get("provider") ?? "",
    sort: oneOf(p.get("sort"), SORTS, DEFAULT_VIEW.sort),
    groupByTag: p.get("group") === "tag",
  };
}

/** `?q=…&status=…`, or "" for the default view. */
export function serializeView(view: ViewState): string {
  const p = new URLSearchParams();
  if (view.q) p.set("q", view.q);
  if (view.status !== DEFAULT_VIEW.status) p.set("status", view.status);
  if (view.tag) p.set("tag", view.tag);
  if (view.host) p.set("host", view.host);
  if (view.provider) p.set("provider", view.provider);
  if (view.sort !== DEFAULT_VIEW.sort) p.set("sort", view.sort);
  if (view.groupByTag) p.set("group", "tag");
  const s = p.toString();
  return s ? `?${s}` : "";
}

export function isFiltered(view: ViewState): boolean {
  return Boolean(view.q.trim() || view.status !== "all" || view.tag || view.host || view.provider);
}

/** Every whitespace-separated word of the query must occur in the row's image, host or container. */
export function matches(row: UpdateRowModel, view: ViewState, words: string[]): boolean {
  const { entry } = row;
  if (view.status === "pending" && entry.acknowledged) return false;
  if (view.status === "acknowledged" && !entry.acknowledged) return false;
  if (view.tag === "none" ? entry.tag != null : view.tag && String(entry.tag?.id) !== view.tag) return false;
  if (view.host && entry.event.hostname !== view.host) return false;
  if (view.provider && entry.event.provider !== view.provider) return false;
  return words.every((w) => row.haystack.includes(w));
}

const byName = (a: UpdateRowModel, b: UpdateRowModel) => a.nameRank - b.nameRank;

/** Filters and sorts: newest received first (ties by name), or by the displayed image name. */
export function applyView(rows: UpdateRowModel[], view: ViewState): UpdateRowModel[] {
  const words = view.q.toLowerCase().split(/\s+/).filter(Boolean);
  const out = rows.filter((row) => matches(row, view, words));
  out.sort(view.sort === "image" ? byName : (a, b) => b.receivedMs - a.receivedMs || byName(a, b));
  return out;
}
