import { useEffect, useId, useRef, type ReactNode } from "react";
import type { Tag } from "../api/types";
import { isFiltered, type SortKey, type StatusFilter, type ViewState } from "../lib/view";
import { Icon } from "./Icon";

interface Props {
  view: ViewState;
  onChange: (change: Partial<ViewState>) => void;
  onReset: () => void;
  tags: Tag[];
  hosts: string[];
  providers: string[];
  shown: number;
  total: number;
}

function Select({ label, value, onChange, children, className = "" }: { label: string; value: string; onChange: (v: string) => void; children: ReactNode; className?: string }) {
  const id = useId();
  return (
    <div className={`flex min-w-0 flex-col gap-1 ${className}`}>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <select id={id} className="field min-w-0" value={value} onChange={(e) => onChange(e.target.value)}>
        {children}
      </select>
    </div>
  );
}

/** Search, filters, sort and grouping; every value is mirrored in the URL by the caller. */
export function FilterBar({ view, onChange, onReset, tags, hosts, providers, shown, total }: Props) {
  const searchId = useId();
  const search = useRef<HTMLInputElement>(null);

  // "/" jumps to the search box, as on GitHub and in many dashboards.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || document.querySelector("[aria-modal]")) return;
      if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
      e.preventDefault();
      search.current?.focus();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  // Keep a value from the URL selectable even when no current row has it.
  const withCurrent = (values: string[], current: string) => (current && !values.includes(current) ? [...values, current] : values);

  return (
    <div role="search" aria-label="Find updates" className="filter-grid">
      <div className="filter-search">
        <label htmlFor={searchId} className="field-label">
          Search
        </label>
        <div className="relative">
          <Icon name="search" className="search-icon muted" />
          <input
            ref={search}
            id={searchId}
            type="search"
            className="field w-full pl-8"
            placeholder="Image, host or container  ( / )"
            value={view.q}
            onChange={(e) => onChange({ q: e.target.value })}
            onKeyDown={(e) => {
              if (e.key === "Escape" && view.q) onChange({ q: "" });
            }}
          />
        </div>
      </div>

      <Select label="Status" value={view.status} onChange={(v) => onChange({ status: v as StatusFilter })}>
        <option value="all">All</option>
        <option value="pending">Pending</option>
        <option value="acknowledged">Dismissed</option>
      </Select>

      <Select label="Tag" value={view.tag} onChange={(v) => onChange({ tag: v })}>
        <option value="">All tags</option>
        <option value="none">Untagged</option>
        {tags.map((t) => (
          <option key={t.id} value={String(t.id)}>
            {t.name}
          </option>
        ))}
        {view.tag && view.tag !== "none" && !tags.some((t) => String(t.id) === view.tag) && <option value={view.tag}>Tag #{view.tag}</option>}
      </Select>

      <Select label="DIUN host" value={view.host} onChange={(v) => onChange({ host: v })}>
        <option value="">All hosts</option>
        {withCurrent(hosts, view.host).map((h) => (
          <option key={h} value={h}>
            {h}
          </option>
        ))}
      </Select>

      <Select label="Provider" value={view.provider} onChange={(v) => onChange({ provider: v })}>
        <option value="">All providers</option>
        {withCurrent(providers, view.provider).map((p) => (
          <option key={p} value={p}>
            {p}
          </option>
        ))}
      </Select>

      <Select label="Sort by" value={view.sort} onChange={(v) => onChange({ sort: v as SortKey })}>
        <option value="received">Newest received</option>
        <option value="image">Image name</option>
      </Select>

      <label className="filter-check">
        <input type="checkbox" className="size-4 accent-sky-600" checked={view.groupByTag} onChange={(e) => onChange({ groupByTag: e.target.checked })} />
        Group by tag
      </label>

      <div className="filter-summary muted">
        <span aria-live="polite" data-testid="result-count">
          {isFiltered(view) ? `${shown.toLocaleString()} of ${total.toLocaleString()} images match` : `${total.toLocaleString()} ${total === 1 ? "image" : "images"}`}
        </span>
        {isFiltered(view) && (
          <button type="button" className="btn btn-sm" onClick={onReset}>
            Clear filters
          </button>
        )}
      </div>
    </div>
  );
}
