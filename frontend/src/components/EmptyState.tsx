import { CopyButton } from "./CopyButton";

export function webhookSnippet(origin: string): string {
  return `notif:
  webhook:
    endpoint: ${origin}/webhook
    method: POST
    headers:
      content-type: application/json
      authorization: <WEBHOOK_SECRET>
    timeout: 10s
`;
}

const Code = ({ children }: { children: string }) => <code className="font-mono text-xs">{children}</code>;

/** Shown before DIUN has sent anything: how to point DIUN at this dashboard. */
export function EmptyState({ origin = window.location.origin }: { origin?: string }) {
  const snippet = webhookSnippet(origin);
  return (
    <section aria-labelledby="empty-title" className="panel mx-auto max-w-2xl p-6 sm:p-8">
      <h2 id="empty-title" className="text-lg font-semibold">
        No image updates yet
      </h2>
      <p className="muted mt-2 text-sm">
        DiunDashboard lists what DIUN reports. Add this webhook notifier to the configuration of each DIUN (<Code>diun.yml</Code>) and restart it. Leave out the{" "}
        <Code>authorization</Code> header if the dashboard runs without <Code>WEBHOOK_SECRET</Code>.
      </p>
      <div className="relative mt-4">
        <pre className="snippet" data-testid="webhook-snippet">
          <code>{snippet}</code>
        </pre>
        <CopyButton text={snippet} label="Copy the DIUN webhook configuration" className="icon-btn snippet-copy" />
      </div>
      <p className="muted mt-4 text-sm">
        To check the connection, send DIUN's test notification with <Code>docker exec diun diun notif test</Code>; it shows up here within a few seconds.
      </p>
    </section>
  );
}

/** Shown when updates exist but the search and filters hide all of them. */
export function NoMatches({ onReset }: { onReset: () => void }) {
  return (
    <div className="panel p-8 text-center">
      <p className="font-medium">No images match this view.</p>
      <p className="muted mt-1 text-sm">Try another search, or clear the filters.</p>
      <button type="button" className="btn mt-4" onClick={onReset}>
        Clear filters
      </button>
    </div>
  );
}
