import { memo } from "react";
import type { Tag } from "../api/types";
import { safeHttpUrl } from "../lib/event";
import { shortDigest } from "../lib/imageRef";
import type { UpdateRowModel } from "../lib/rows";
import { formatDate, formatExact, parseBuildTime, parseTimestamp, toIso } from "../lib/time";
import { CopyButton } from "./CopyButton";
import { Icon } from "./Icon";
import { ImageName } from "./ImageName";
import { RelativeTime } from "./RelativeTime";
import { StatusBadge } from "./StatusBadge";
import { TagPicker } from "./TagPicker";

export interface RowActions {
  onDismiss: (image: string) => void;
  onAssignTag: (image: string, tag: Tag | null) => void;
  onShowHistory: (image: string) => void;
}

function BuildTime({ created }: { created?: string | null }) {
  const ms = parseBuildTime(created);
  if (ms === null)
    return (
      <span className="muted" title={created ? `DIUN sent ${created}: no real build time` : "DIUN sent no build time"}>
        unknown
      </span>
    );
  return (
    <time dateTime={toIso(ms)} title={formatExact(ms)}>
      {formatDate(ms)}
    </time>
  );
}

const Dot = () => <span aria-hidden="true">·</span>;

/** One image: what changed, where it runs, and what to do about it. */
export const UpdateRow = memo(function UpdateRow({ row, tags, now, actions }: { row: UpdateRowModel; tags: Tag[]; now: number; actions: RowActions }) {
  const { image, entry, ref, container, isTest } = row;
  const { event } = entry;
  const pending = !entry.acknowledged;
  const hub = safeHttpUrl(event.hub_link);
  const ackMs = parseTimestamp(entry.acknowledged_at);

  return (
    <li data-image={image} data-state={pending ? "pending" : "acknowledged"} className={`update-row row-grid ${pending ? "is-pending" : "is-acked"}`}>
      {/* Image */}
      <div className="min-w-0 sm:col-span-2 lg:col-span-1">
        <div className="cluster">
          <ImageName image={ref} />
          {hub && (
            <a href={hub} target="_blank" rel="noopener noreferrer" className="icon-btn link -my-1 size-6" aria-label={`Open ${image} in its registry (new tab)`} title={hub}>
              <Icon name="external" className="size-3.5" />
            </a>
          )}
          {isTest && (
            <span className="badge-test" title="Sent by `diun notif test`, not a real image">
              Test notification
            </span>
          )}
        </div>
        <div className="row-meta muted">
          <span>{ref.isDockerHub ? "Docker Hub" : ref.registry}</span>
          {event.digest && (
            <>
              <Dot />
              <span className="inline-flex items-center">
                <code className="font-mono" title={event.digest}>
                  {shortDigest(event.digest)}
                </code>
                <CopyButton text={event.digest} label={`Copy digest of ${image}`} className="icon-btn size-6" />
              </span>
            </>
          )}
          {event.platform && event.platform !== "/" && (
            <>
              <Dot />
              <span>{event.platform}</span>
            </>
          )}
        </div>
      </div>

      {/* Status */}
      <div className="row-status">
        <StatusBadge status={event.status} />
        {!pending && (
          <span className="muted text-xs">
            Dismissed{ackMs !== null && <> <RelativeTime ms={ackMs} now={now} /></>}
          </span>
        )}
      </div>

      {/* Container and DIUN host */}
      <div className="min-w-0">
        <div className="truncate font-medium" title={container ? [container.name, container.detail].filter(Boolean).join(" — ") : undefined}>
          {container ? container.name : <span className="muted font-normal">No container</span>}
          {container?.detail && <span className="muted ml-1.5 text-xs font-normal">{container.detail}</span>}
        </div>
        <div className="muted truncate text-xs">
          <span title="DIUN host">{event.hostname || "unknown host"}</span> · {event.provider || "unknown provider"}
        </div>
      </div>

      {/* Times */}
      <div className="text-xs leading-5">
        <div>
          <span className="muted">Received </span>
          <RelativeTime ms={row.receivedMs} now={now} />
        </div>
        <div>
          <span className="muted">Built </span>
          <BuildTime created={event.created} />
        </div>
      </div>

      <div className="min-w-0">
        <TagPicker image={image} tag={entry.tag ?? null} tags={tags} onChange={(tag) => actions.onAssignTag(image, tag)} />
      </div>

      {/* Actions */}
      <div className="row-actions">
        <button type="button" className="btn" onClick={() => actions.onShowHistory(image)} aria-label={`History of ${image}`}>
          <Icon name="history" className="size-3.5" />
          History
        </button>
        {pending && (
          <button type="button" className="btn btn-primary" onClick={() => actions.onDismiss(image)} aria-label={`Dismiss ${image}`}>
            Dismiss
          </button>
        )}
      </div>
    </li>
  );
});
