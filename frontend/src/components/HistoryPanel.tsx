import { useCallback, useEffect, useRef, useState } from "react";
import { api, describeError } from "../api/client";
import type { EventRecord } from "../api/types";
import { containerOf } from "../lib/event";
import { parseImageRef, shortDigest } from "../lib/imageRef";
import { formatDate, formatExact, parseBuildTime, parseTimestamp } from "../lib/time";
import { CopyButton } from "./CopyButton";
import { Dialog } from "./Dialog";
import { ImageName } from "./ImageName";
import { RelativeTime } from "./RelativeTime";
import { StatusBadge } from "./StatusBadge";

export const HISTORY_PAGE = 50;

function HistoryItem({ record, now }: { record: EventRecord; now: number }) {
  const { event } = record;
  const received = parseTimestamp(record.received_at);
  const built = parseBuildTime(event.created);
  const container = containerOf(event);
  return (
    <li className="py-3 first:pt-0 last:pb-0" data-event-id={record.id}>
      <div className="cluster text-sm">
        <StatusBadge status={event.status} />
        <span className="font-medium">{received !== null ? <RelativeTime ms={received} now={now} /> : record.received_at}</span>
        {received !== null && <span className="muted text-xs">{formatExact(received)}</span>}
      </div>
      <dl className="facts">
        <dt>Digest</dt>
        <dd className="flex min-w-0 items-center">
          <code className="truncate font-mono" title={event.digest}>
            {shortDigest(event.digest) || "—"}
          </code>
          {event.digest && <CopyButton text={event.digest} label={`Copy digest ${shortDigest(event.digest)}`} className="icon-btn size-6" />}
        </dd>
        <dt>Built</dt>
        <dd>{built !== null ? <span title={formatExact(built)}>{formatDate(built)}</span> : "unknown"}</dd>
        <dt>Where</dt>
        <dd className="min-w-0 break-words">
          {[container && [container.name, container.detail].filter(Boolean).join(" "), event.hostname && `DIUN host ${event.hostname}`, event.provider, event.platform].filter(Boolean).join(" · ") || "—"}
        </dd>
        {event.diun_version && (
          <>
            <dt>DIUN</dt>
            <dd>{event.diun_version}</dd>
          </>
        )}
      </dl>
    </li>
  );
}

/** Every event the server kept for one image, newest first, a page at a time. */
export function HistoryPanel({ image, now, onClose }: { image: string; now: number; onClose: () => void }) {
  const [records, setRecords] = useState<EventRecord[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const alive = useRef(true);

  const load = useCallback(
    async (before?: number) => {
      setLoading(true);
      setError(null);
      try {
        const page = await api.listEvents(image, { limit: HISTORY_PAGE, before });
        if (!alive.current) return;
        setRecords((prev) => (before === undefined ? page : [...prev, ...page]));
        setHasMore(page.length === HISTORY_PAGE);
      } catch (err) {
        if (alive.current) setError(describeError(err));
      } finally {
        if (alive.current) setLoading(false);
      }
    },
    [image],
  );

  useEffect(() => {
    alive.current = true;
    void load();
    return () => {
      alive.current = false;
    };
  }, [load]);

  const last = records[records.length - 1];

  return (
    <Dialog wide onClose={onClose} title={<>History of <ImageName image={parseImageRef(image)} /></>} description={image}>
      {records.length > 0 && (
        <ol aria-label="Events, newest first" className="divided">
          {records.map((r) => (
            <HistoryItem key={r.id} record={r} now={now} />
          ))}
        </ol>
      )}
      {!loading && !error && records.length === 0 && <p className="muted text-sm">No events recorded for this image.</p>}
      {error && (
        <div role="alert" className="notice-error mt-3 flex items-center gap-3">
          Couldn't load the history: {error}
          <button type="button" className="btn" onClick={() => void load(last?.id)}>
            Try again
          </button>
        </div>
      )}
      <div className="mt-4 flex items-center justify-center">
        {loading ? (
          <p className="muted text-sm" role="status">
            Loading…
          </p>
        ) : (
          hasMore &&
          last && (
            <button type="button" className="btn" onClick={() => void load(last.id)}>
              Load more
            </button>
          )
        )}
      </div>
    </Dialog>
  );
}
