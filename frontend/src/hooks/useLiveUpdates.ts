// Keeps the updates and tags fresh: polls every few seconds while the page is visible, refreshes at
// once on focus, and layers optimistic changes (dismiss, tag assignment) over the server's data
// until a later fetch confirms or an error rolls them back.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { api, describeError } from "../api/client";
import type { Tag, UpdateEntry, UpdatesMap } from "../api/types";
import { toRows, type UpdateRowModel } from "../lib/rows";

type Patch = Partial<Pick<UpdateEntry, "acknowledged" | "acknowledged_at" | "tag">>;

interface Override {
  image: string;
  patch: Patch;
  /** Which action set it, so a failing older action cannot undo a newer one. */
  id: number;
  /** Set once the server accepted the change: any fetch started after this point already shows it. */
  confirmedAt: number | null;
}

export interface LiveUpdates {
  /** Undefined until the first successful load. */
  updates: UpdatesMap | undefined;
  rows: UpdateRowModel[];
  tags: Tag[];
  /** Why the last refresh failed, and when one last succeeded; null while the server answers. */
  failure: { message: string; lastSuccess: number | null } | null;
  refresh: () => Promise<boolean>;
  dismiss: (image: string) => Promise<void>;
  assignTag: (image: string, tag: Tag | null) => Promise<void>;
  createTag: (name: string) => Promise<Tag>;
  deleteTag: (id: number) => Promise<void>;
}

export function useLiveUpdates(intervalMs = 5000): LiveUpdates {
  const [updates, setUpdates] = useState<UpdatesMap>();
  const [tags, setTags] = useState<Tag[]>([]);
  const [overrides, setOverrides] = useState<ReadonlyMap<string, Override>>(new Map());
  const [failure, setFailure] = useState<LiveUpdates["failure"]>(null);
  // A ref, not state: a successful poll with unchanged data must not re-render anything.
  const lastSuccess = useRef<number | null>(null);

  const versions = useRef<{ updates: string | null; tags: string | null }>({ updates: null, tags: null });
  const clock = useRef(0);
  const inflight = useRef<Promise<boolean> | null>(null);
  const queued = useRef<Promise<boolean> | null>(null);

  const fetchOnce = useCallback(async (): Promise<boolean> => {
    const startedAt = ++clock.current;
    try {
      const [u, t] = await Promise.all([api.listUpdates(versions.current.updates), api.listTags(versions.current.tags)]);
      // Unchanged data keeps its identity, so nothing re-renders.
      if (u.changed) {
        versions.current.updates = u.version;
        setUpdates(u.data);
      }
      if (t.changed) {
        versions.current.tags = t.version;
        setTags(t.data);
      }
      setOverrides((prev) => {
        const next = new Map([...prev].filter(([, o]) => o.confirmedAt === null || o.confirmedAt >= startedAt));
        return next.size === prev.size ? prev : next;
      });
      lastSuccess.current = Date.now();
      setFailure(null);
      return true;
    } catch (err) {
      setFailure({ message: describeError(err), lastSuccess: lastSuccess.current });
      return false;
    }
  }, []);

  // One request at a time; a refresh asked for during one runs right after it, so that data
  // fetched before a mutation never counts as confirming it.
  const refresh = useCallback((): Promise<boolean> => {
    if (!inflight.current) {
      const run = fetchOnce().finally(() => {
        inflight.current = null;
      });
      inflight.current = run;
      return run;
    }
    if (!queued.current) {
      queued.current = inflight.current.then(() => {
        queued.current = null;
        return refresh();
      });
    }
    return queued.current;
  }, [fetchOnce]);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const tick = async () => {
      clearTimeout(timer);
      if (stopped || document.hidden) return; // paused; visibilitychange resumes it
      await refresh();
      clearTimeout(timer);
      if (!stopped && !document.hidden) timer = setTimeout(tick, intervalMs);
    };
    const onWake = () => {
      if (document.hidden) clearTimeout(timer);
      else void tick();
    };
    void tick();
    document.addEventListener("visibilitychange", onWake);
    window.addEventListener("focus", onWake);
    window.addEventListener("online", onWake);
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", onWake);
      window.removeEventListener("focus", onWake);
      window.removeEventListener("online", onWake);
    };
  }, [refresh, intervalMs]);

  const optimistic = useCallback(
    async (kind: "ack" | "tag", image: string, patch: Patch, call: () => Promise<void>) => {
      const key = `${kind}\u0000${image}`;
      const id = ++clock.current;
      setOverrides((prev) => new Map(prev).set(key, { image, patch, id, confirmedAt: null }));
      const settle = (confirm: boolean) =>
        setOverrides((prev) => {
          const current = prev.get(key);
          if (current?.id !== id) return prev;
          const next = new Map(prev);
          if (confirm) next.set(key, { ...current, confirmedAt: ++clock.current });
          else next.delete(key);
          return next;
        });
      try {
        await call();
      } catch (err) {
        settle(false);
        throw err;
      }
      settle(true);
      void refresh();
    },
    [refresh],
  );

  const dismiss = useCallback(
    (image: string) =>
      optimistic("ack", image, { acknowledged: true, acknowledged_at: new Date().toISOString() }, () =>
        api.dismissUpdate(image),
      ),
    [optimistic],
  );

  const assignTag = useCallback(
    (image: string, tag: Tag | null) =>
      optimistic("tag", image, { tag }, () => (tag ? api.assignTag(image, tag.id) : api.unassignTag(image))),
    [optimistic],
  );

  const createTag = useCallback(
    async (name: string) => {
      const tag = await api.createTag(name);
      setTags((prev) => [...prev.filter((t) => t.id !== tag.id), tag].sort((a, b) => a.name.localeCompare(b.name)));
      void refresh();
      return tag;
    },
    [refresh],
  );

  const deleteTag = useCallback(
    async (id: number) => {
      await api.deleteTag(id);
      await refresh();
    },
    [refresh],
  );

  // Rows are rebuilt only when the server's data changes; overrides patch just their own rows,
  // so the other rows keep their identity and their memoised rendering.
  const baseRows = useMemo(() => (updates ? toRows(updates) : []), [updates]);
  const rows = useMemo(() => {
    if (overrides.size === 0) return baseRows;
    const patches = new Map<string, Patch>();
    for (const o of overrides.values()) patches.set(o.image, { ...patches.get(o.image), ...o.patch });
    return baseRows.map((row) => {
      const patch = patches.get(row.image);
      return patch ? { ...row, entry: { ...row.entry, ...patch } } : row;
    });
  }, [baseRows, overrides]);

  return { updates, rows, tags, failure, refresh, dismiss, assignTag, createTag, deleteTag };
}
