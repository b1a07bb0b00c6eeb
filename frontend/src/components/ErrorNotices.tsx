import { Icon } from "./Icon";

export interface Notice {
  id: number;
  message: string;
}

/** Errors from the user's own actions (dismiss, tags), each closable. */
export function ErrorNotices({ notices, onClose }: { notices: Notice[]; onClose: (id: number) => void }) {
  if (notices.length === 0) return null;
  return (
    <div className="toasts">
      {notices.map((n) => (
        <div key={n.id} role="alert" className="notice-error flex items-start gap-2 shadow-lg">
          <Icon name="alert" className="mt-0.5 size-4 shrink-0" />
          <p className="min-w-0 flex-1 break-words">{n.message}</p>
          <button type="button" className="icon-btn -my-1 text-inherit" aria-label="Close this message" onClick={() => onClose(n.id)}>
            <Icon name="close" className="size-3.5" />
          </button>
        </div>
      ))}
    </div>
  );
}
