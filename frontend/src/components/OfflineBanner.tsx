import { Icon } from "./Icon";

/** Shown while the server cannot be reached; the list keeps the last data it had. */
export function OfflineBanner({ message, lastSuccess }: { message: string; lastSuccess: number | null }) {
  return (
    <div role="alert" data-testid="offline-banner" className="banner-offline">
      <div className="page flex items-start gap-2 py-2.5 text-sm">
        <Icon name="alert" className="mt-0.5 size-4 shrink-0" />
        <p>
          <strong className="font-semibold">Can't reach the DiunDashboard server.</strong> {message}.{" "}
          {lastSuccess ? `Showing data from ${new Date(lastSuccess).toLocaleTimeString()}; retrying` : "Retrying"} every few seconds.
        </p>
      </div>
    </div>
  );
}
