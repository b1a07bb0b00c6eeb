import { useCopy } from "../hooks/useCopy";
import { Icon } from "./Icon";

/** An icon button that copies `text`; `label` says what ("Copy digest of nginx"). */
export function CopyButton({ text, label, className = "icon-btn" }: { text: string; label: string; className?: string }) {
  const [state, copy] = useCopy();
  return (
    <button type="button" className={className} aria-label={label} title={state === "copied" ? "Copied" : label} onClick={() => copy(text)}>
      <Icon name={state === "copied" ? "check" : "copy"} className={state === "copied" ? "size-3.5 text-emerald-500" : "size-3.5"} />
      <span className="sr-only" aria-live="polite">
        {state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : ""}
      </span>
    </button>
  );
}
