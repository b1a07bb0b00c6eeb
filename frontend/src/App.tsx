import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from "react";
import { describeError } from "./api/client";
import type { Tag } from "./api/types";
import { EmptyState, NoMatches } from "./components/EmptyState";
import { ErrorNotices, type Notice } from "./components/ErrorNotices";
import { FilterBar } from "./components/FilterBar";
import { Header } from "./components/Header";
import { HistoryPanel } from "./components/HistoryPanel";
import { OfflineBanner } from "./components/OfflineBanner";
import { TagManager } from "./components/TagManager";
import { UpdateList } from "./components/UpdateList";
import type { RowActions } from "./components/UpdateRow";
import { useLiveUpdates } from "./hooks/useLiveUpdates";
import { useNow } from "./hooks/useNow";
import { useTheme } from "./hooks/useTheme";
import { useUrlView } from "./hooks/useUrlView";
import { applyView } from "./lib/view";

const NOTICE_MS = 10_000;
const distinct = (values: string[]) => [...new Set(values.filter(Boolean))].sort((a, b) => a.localeCompare(b));

export function App({ pollMs = 5000 }: { pollMs?: number }) {
  const live = useLiveUpdates(pollMs);
  const { rows, tags, dismiss, assignTag } = live;
  const [view, setView, resetView] = useUrlView();
  const [theme, toggleTheme] = useTheme();
  const now = useNow();
  const [notices, setNotices] = useState<Notice[]>([]);
  const [historyOf, setHistoryOf] = useState<string | null>(null);
  const [managingTags, setManagingTags] = useState(false);
  const noticeSeq = useRef(0);

  // Filtering thousands of rows runs at lower priority than the keystroke that asked for it.
  const deferredView = useDeferredValue(view);
  const visible = useMemo(() => applyView(rows, deferredView), [rows, deferredView]);
  const pending = useMemo(() => rows.reduce((n, r) => (r.entry.acknowledged ? n : n + 1), 0), [rows]);
  const hosts = useMemo(() => distinct(rows.map((r) => r.entry.event.hostname)), [rows]);
  const providers = useMemo(() => distinct(rows.map((r) => r.entry.event.provider)), [rows]);
  const usage = useMemo(() => {
    const counts = new Map<number, number>();
    for (const r of rows) if (r.entry.tag) counts.set(r.entry.tag.id, (counts.get(r.entry.tag.id) ?? 0) + 1);
    return counts;
  }, [rows]);

  const loaded = live.updates !== undefined;
  useEffect(() => {
    document.title = loaded && pending > 0 ? `(${pending}) DiunDashboard` : "DiunDashboard";
  }, [loaded, pending]);

  const closeNotice = useCallback((id: number) => setNotices((prev) => prev.filter((n) => n.id !== id)), []);
  const notify = useCallback(
    (message: string) => {
      const id = ++noticeSeq.current;
      setNotices((prev) => [...prev.slice(-3), { id, message }]);
      setTimeout(() => closeNotice(id), NOTICE_MS);
    },
    [closeNotice],
  );

  const actions = useMemo<RowActions>(
    () => ({
      onDismiss: (image) => void dismiss(image).catch((err) => notify(`Couldn't dismiss ${image}: ${describeError(err)}`)),
      onAssignTag: (image: string, tag: Tag | null) =>
        void assignTag(image, tag).catch((err) => notify(`Couldn't ${tag ? `tag ${image} as “${tag.name}”` : `untag ${image}`}: ${describeError(err)}`)),
      onShowHistory: setHistoryOf,
    }),
    [dismiss, assignTag, notify],
  );

  return (
    <div className="min-h-screen">
      {live.failure && <OfflineBanner message={live.failure.message} lastSuccess={live.failure.lastSuccess} />}
      <Header pending={loaded ? pending : null} live={!live.failure} theme={theme} onToggleTheme={toggleTheme} onManageTags={() => setManagingTags(true)} />

      <main className="page space-y-5 py-5">
        {!loaded ? (
          <p className="muted py-16 text-center text-sm" role="status">
            {live.failure ? "The updates could not be loaded yet." : "Loading updates…"}
          </p>
        ) : rows.length === 0 ? (
          <EmptyState />
        ) : (
          <>
            <FilterBar view={view} onChange={setView} onReset={resetView} tags={tags} hosts={hosts} providers={providers} shown={visible.length} total={rows.length} />
            {visible.length === 0 ? <NoMatches onReset={resetView} /> : <UpdateList rows={visible} grouped={deferredView.groupByTag} tags={tags} now={now} actions={actions} />}
          </>
        )}
      </main>

      {historyOf && <HistoryPanel image={historyOf} now={now} onClose={() => setHistoryOf(null)} />}
      {managingTags && <TagManager tags={tags} usage={usage} onCreate={live.createTag} onDelete={live.deleteTag} onClose={() => setManagingTags(false)} />}
      <ErrorNotices notices={notices} onClose={closeNotice} />
    </div>
  );
}
