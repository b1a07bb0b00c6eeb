import { useCallback, useId, useMemo, useState, type ReactNode } from "react";
import type { Tag } from "../api/types";
import { groupByTag, type RowGroup, type UpdateRowModel } from "../lib/rows";
import { Icon } from "./Icon";
import { UpdateRow, type RowActions } from "./UpdateRow";

/** Rows rendered per list or section before "Show more": keeps thousands of images cheap to render. */
export const PAGE_SIZE = 50;

interface Props {
  rows: UpdateRowModel[];
  grouped: boolean;
  tags: Tag[];
  now: number;
  actions: RowActions;
}

function ColumnHeadings() {
  return (
    <div aria-hidden="true" className="column-headings row-grid">
      <span>Image</span>
      <span>Status</span>
      <span>Container · DIUN host</span>
      <span>Received · Built</span>
      <span>Tag</span>
      <span />
    </div>
  );
}

function Rows({ rows, limit, onMore, ...rest }: { rows: UpdateRowModel[]; limit: number; onMore: () => void; tags: Tag[]; now: number; actions: RowActions }) {
  const hidden = rows.length - limit;
  return (
    <>
      <ul className="row-list">
        {rows.slice(0, limit).map((row) => (
          <UpdateRow key={row.image} row={row} {...rest} />
        ))}
      </ul>
      {hidden > 0 && (
        <div className="hairline flex justify-center p-3 lg:border-t">
          <button type="button" className="btn" onClick={onMore}>
            Show {Math.min(PAGE_SIZE, hidden)} more <span className="muted">({hidden.toLocaleString()} not shown)</span>
          </button>
        </div>
      )}
    </>
  );
}

function Section({ group, collapsed, onToggle, children }: { group: RowGroup; collapsed: boolean; onToggle: () => void; children: ReactNode }) {
  const id = useId();
  const pending = group.rows.filter((r) => !r.entry.acknowledged).length;
  return (
    <section aria-labelledby={id} data-group={group.tag ? group.tag.name : "untagged"} className="list-frame">
      <h2 id={id} className="mb-2 lg:mb-0">
        <button
          type="button"
          aria-expanded={!collapsed}
          onClick={onToggle}
          className="section-toggle"
        >
          <Icon name="chevron" className={`size-4 transition-transform ${collapsed ? "" : "rotate-90"}`} />
          {group.tag ? (
            <>
              <Icon name="tag" className="tag-icon size-3.5" />
              {group.tag.name}
            </>
          ) : (
            <span className="italic">Untagged</span>
          )}
          <span className="muted ml-1 text-xs font-normal">
            {group.rows.length} {group.rows.length === 1 ? "image" : "images"}
            {pending > 0 && `, ${pending} pending`}
          </span>
        </button>
      </h2>
      {!collapsed && children}
    </section>
  );
}

/** The images, one row each, optionally in collapsible sections by tag (untagged last). */
export function UpdateList({ rows, grouped, tags, now, actions }: Props) {
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [limits, setLimits] = useState<Readonly<Record<string, number>>>({});
  const groups = useMemo(() => (grouped ? groupByTag(rows) : null), [rows, grouped]);

  const more = useCallback((key: string) => setLimits((prev) => ({ ...prev, [key]: (prev[key] ?? PAGE_SIZE) + PAGE_SIZE })), []);
  const toggle = useCallback(
    (key: string) =>
      setCollapsed((prev) => {
        const next = new Set(prev);
        if (!next.delete(key)) next.add(key);
        return next;
      }),
    [],
  );

  if (!groups) {
    return (
      <div className="list-frame">
        <ColumnHeadings />
        <Rows rows={rows} limit={limits.all ?? PAGE_SIZE} onMore={() => more("all")} tags={tags} now={now} actions={actions} />
      </div>
    );
  }

  return (
    <div className="space-y-5">
      {groups.map((group) => (
        <Section key={group.key} group={group} collapsed={collapsed.has(group.key)} onToggle={() => toggle(group.key)}>
          <ColumnHeadings />
          <Rows rows={group.rows} limit={limits[group.key] ?? PAGE_SIZE} onMore={() => more(group.key)} tags={tags} now={now} actions={actions} />
        </Section>
      ))}
    </div>
  );
}
