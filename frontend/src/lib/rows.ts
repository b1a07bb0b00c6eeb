// Turns the server's map of entries into the rows the list shows, computed once per data change
// so that filtering thousands of rows only compares prepared strings.
import type { Tag, UpdateEntry, UpdatesMap } from "../api/types";
import { containerOf, isTestNotification, type ContainerName } from "./event";
import { parseImageRef, type ImageRef } from "./imageRef";
import { parseTimestamp } from "./time";

export interface UpdateRowModel {
  image: string;
  entry: UpdateEntry;
  ref: ImageRef;
  container: ContainerName | null;
  isTest: boolean;
  receivedMs: number;
  /** Lower-cased image, host and container names, for the free-text search. */
  haystack: string;
  /** Position in image-name order, so sorting on every keystroke compares integers, not strings. */
  nameRank: number;
}

export function toRow(image: string, entry: UpdateEntry): UpdateRowModel {
  const ref = parseImageRef(image);
  const container = containerOf(entry.event);
  return {
    image,
    entry,
    ref,
    container,
    isTest: isTestNotification({ image, provider: entry.event.provider }),
    receivedMs: parseTimestamp(entry.received_at) ?? 0,
    nameRank: 0,
    haystack: [image, ref.name, entry.event.hostname, container?.name, container?.detail]
      .filter(Boolean)
      .join("\n")
      .toLowerCase(),
  };
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

/** Rows in image-name order (the displayed name, then the full reference), ranked. */
export function toRows(updates: UpdatesMap): UpdateRowModel[] {
  const rows = Object.entries(updates).map(([image, entry]) => toRow(image, entry));
  rows.sort((a, b) => collator.compare(a.ref.name, b.ref.name) || collator.compare(a.image, b.image));
  rows.forEach((row, i) => (row.nameRank = i));
  return rows;
}

export interface RowGroup {
  /** `tag:<id>` or `untagged`; stable across refreshes, used as the React key. */
  key: string;
  tag: Tag | null;
  rows: UpdateRowModel[];
}

/** Sections by tag name (case-insensitive), untagged last; rows keep their order. */
export function groupByTag(rows: UpdateRowModel[]): RowGroup[] {
  const groups = new Map<string, RowGroup>();
  for (const row of rows) {
    const tag = row.entry.tag ?? null;
    const key = tag ? `tag:${tag.id}` : "untagged";
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { key, tag, rows: [] }));
    group.rows.push(row);
  }
  return [...groups.values()].sort((a, b) => {
    if (!a.tag) return b.tag ? 1 : 0;
    if (!b.tag) return -1;
    return a.tag.name.localeCompare(b.tag.name, undefined, { sensitivity: "base" }) || a.tag.id - b.tag.id;
  });
}
