import type { Tag } from "../api/types";

/** The per-row select that assigns one tag (or none) to an image. */
export function TagPicker({ image, tag, tags, onChange }: { image: string; tag: Tag | null; tags: Tag[]; onChange: (tag: Tag | null) => void }) {
  // A just-deleted or not-yet-listed tag still shows as the current value.
  const options = tag && !tags.some((t) => t.id === tag.id) ? [...tags, tag] : tags;
  return (
    <select
      className="field w-full py-1"
      aria-label={`Tag for ${image}`}
      value={tag ? String(tag.id) : ""}
      onChange={(e) => {
        const id = e.target.value;
        onChange(id ? (options.find((t) => String(t.id) === id) ?? null) : null);
      }}
    >
      <option value="">No tag</option>
      {options.map((t) => (
        <option key={t.id} value={String(t.id)}>
          {t.name}
        </option>
      ))}
    </select>
  );
}
