import type { Theme } from "../hooks/useTheme";
import { Icon } from "./Icon";
import { ThemeToggle } from "./ThemeToggle";

interface Props {
  pending: number | null;
  live: boolean;
  theme: Theme;
  onToggleTheme: () => void;
  onManageTags: () => void;
}

export function Header({ pending, live, theme, onToggleTheme, onManageTags }: Props) {
  return (
    <header className="app-header">
      <div className="page flex items-center gap-3 py-3">
        <img src="/favicon.svg" alt="" className="size-8" />
        <div className="min-w-0 flex-1">
          <h1 className="cluster text-lg leading-tight font-semibold">
            DiunDashboard
            {pending !== null && (
              <span
                data-testid="pending-count"
                className={pending > 0 ? "count-pill has-pending" : "count-pill"}
              >
                {pending} pending
              </span>
            )}
          </h1>
          <p className="muted flex items-center gap-1.5 text-xs">
            <span className={`inline-block size-1.5 rounded-full ${live ? "bg-emerald-500" : "bg-amber-500"}`} aria-hidden="true" />
            {live ? "Live · refreshes every 5 s" : "Offline"}
          </p>
        </div>
        <button type="button" className="btn" onClick={onManageTags}>
          <Icon name="tag" className="size-3.5" />
          Tags
        </button>
        <ThemeToggle theme={theme} onToggle={onToggleTheme} />
      </div>
    </header>
  );
}
