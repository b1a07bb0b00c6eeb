import { useId, useRef, useState, type FormEvent } from "react";
import { ApiError, describeError } from "../api/client";
import type { Tag } from "../api/types";
import { Dialog } from "./Dialog";
import { Icon } from "./Icon";

const MAX_NAME = 100;

interface Props {
  tags: Tag[];
  /** Images per tag id, to say what a deletion untags. */
  usage: ReadonlyMap<number, number>;
  onCreate: (name: string) => Promise<Tag>;
  onDelete: (id: number) => Promise<void>;
  onClose: () => void;
}

/** Create and delete tags; deleting asks first, because its images become untagged. */
export function TagManager({ tags, usage, onCreate, onDelete, onClose }: Props) {
  const inputId = useId();
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<number | null>(null);
  const input = useRef<HTMLInputElement>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return setError("Enter a name for the tag.");
    if (trimmed.length > MAX_NAME) return setError(`A tag name has at most ${MAX_NAME} characters.`);
    setBusy(true);
    setError(null);
    try {
      await onCreate(trimmed);
      setName("");
    } catch (err) {
      setError(err instanceof ApiError && err.status === 409 ? `A tag named “${trimmed}” already exists.` : describeError(err));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (tag: Tag) => {
    setBusy(true);
    setError(null);
    try {
      await onDelete(tag.id);
      setConfirming(null);
      input.current?.focus(); // the focused row is gone
    } catch (err) {
      setError(`Couldn't delete “${tag.name}”: ${describeError(err)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title="Tags" description="Group images by environment, host or owner. Each image has at most one tag." onClose={onClose}>
      <form onSubmit={submit} className="flex items-end gap-2">
        <div className="flex min-w-0 flex-1 flex-col gap-1">
          <label htmlFor={inputId} className="field-label">
            New tag
          </label>
          <input
            id={inputId}
            ref={input}
            data-autofocus
            className="field w-full"
            value={name}
            maxLength={MAX_NAME + 20}
            placeholder="e.g. production"
            aria-invalid={error ? true : undefined}
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          Create tag
        </button>
      </form>
      {error && (
        <p role="alert" className="field-error mt-2">
          {error}
        </p>
      )}

      {tags.length === 0 ? (
        <p className="muted mt-5 text-sm">No tags yet.</p>
      ) : (
        <ul aria-label="Existing tags" className="divided hairline mt-5 rounded-lg border">
          {tags.map((tag) => {
            const count = usage.get(tag.id) ?? 0;
            return (
              <li key={tag.id} className="px-3 py-2 text-sm" data-tag={tag.name}>
                {confirming === tag.id ? (
                  <div className="flex flex-wrap items-center gap-2">
                    <span className="min-w-0 flex-1">
                      Delete <strong className="break-words">{tag.name}</strong>?{" "}
                      <span className="muted">{count === 0 ? "No image has it." : `${count} ${count === 1 ? "image becomes" : "images become"} untagged.`}</span>
                    </span>
                    <button type="button" className="btn btn-danger" disabled={busy} onClick={() => void remove(tag)} aria-label={`Confirm deleting tag ${tag.name}`}>
                      Delete
                    </button>
                    <button type="button" className="btn" onClick={() => setConfirming(null)}>
                      Cancel
                    </button>
                  </div>
                ) : (
                  <div className="flex items-center gap-2">
                    <Icon name="tag" className="tag-icon size-3.5 shrink-0" />
                    <span className="min-w-0 flex-1 break-words">{tag.name}</span>
                    <span className="muted text-xs">
                      {count} {count === 1 ? "image" : "images"}
                    </span>
                    <button type="button" className="icon-btn" aria-label={`Delete tag ${tag.name}`} title="Delete tag" onClick={() => setConfirming(tag.id)}>
                      <Icon name="trash" className="size-3.5" />
                    </button>
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </Dialog>
  );
}
