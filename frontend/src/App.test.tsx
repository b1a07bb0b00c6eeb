import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { App } from "./App";
import type { EventRecord } from "./api/types";
import { events, prod, sampleUpdates, staging } from "./test/data";
import { errorResponse, fakeServer } from "./test/fakeServer";

// Polling is driven by focus events in these tests, so the timer never fires on its own.
const POLL = 600_000;

const rowOf = (image: string) => document.querySelector<HTMLLIElement>(`li[data-image="${CSS.escape(image)}"]`)!;
const postgres = events.docker.image;

async function renderApp() {
  const user = userEvent.setup();
  render(<App pollMs={POLL} />);
  await screen.findByText("postgres");
  return user;
}

/** What a focus does in the browser: an immediate refresh. */
async function refocus() {
  await act(async () => {
    window.dispatchEvent(new Event("focus"));
    await new Promise((r) => setTimeout(r, 0));
  });
}

beforeEach(() => {
  window.history.replaceState(null, "", "/");
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("the updates list", () => {
  it("shows one readable row per image, the pending count and the test notification", async () => {
    fakeServer(sampleUpdates(), [prod, staging]);
    await renderApp();

    expect(document.querySelectorAll("li[data-image]")).toHaveLength(6);
    expect(screen.getByTestId("pending-count")).toHaveTextContent("5 pending");
    expect(document.title).toBe("(5) DiunDashboard");

    const swarm = within(rowOf(events.swarm.image));
    expect(swarm.getByText("valkey/valkey")).toBeInTheDocument();
    expect(swarm.getByText(":8.1")).toBeInTheDocument();
    expect(swarm.getByText("@sha256:b3be27656a9c")).toBeInTheDocument();
    expect(swarm.getByText("stack_valkey")).toBeInTheDocument();

    const k8s = within(rowOf(events.kubernetes.image));
    expect(k8s.getByText("web")).toBeInTheDocument();
    expect(k8s.getByText("shop/frontend-7c9d8f6b5-9wz4m")).toBeInTheDocument();
    expect(k8s.getByText("New")).toBeInTheDocument();

    const quay = within(rowOf(events.dockerfile.image));
    expect(quay.getByText("quay.io")).toBeInTheDocument();
    expect(quay.getByText("unknown")).toBeInTheDocument();
    expect(quay.getByText("No container")).toBeInTheDocument();

    const pg = within(rowOf(postgres));
    expect(pg.getByRole("link", { name: /open .* in its registry/i })).toHaveAttribute("href", "https://hub.docker.com/_/postgres");
    expect(pg.getByRole("link", { name: /open .* in its registry/i })).toHaveAttribute("rel", "noopener noreferrer");
    expect(pg.getByText("sha256:c7253132b85a")).toBeInTheDocument();
    expect(pg.getByRole("button", { name: `Copy digest of ${postgres}` })).toBeInTheDocument();
    expect(pg.getByRole("combobox", { name: `Tag for ${postgres}` })).toHaveValue("1");

    expect(within(rowOf(events.testNotif.image)).getByText("Test notification")).toBeInTheDocument();
    expect(rowOf(events.legacy.image)).toHaveAttribute("data-state", "acknowledged");
    expect(within(rowOf(events.legacy.image)).queryByRole("button", { name: /dismiss/i })).toBeNull();
  });

  it("explains how to point DIUN at /webhook when there is nothing yet", async () => {
    fakeServer({});
    render(<App pollMs={POLL} />);
    const snippet = await screen.findByTestId("webhook-snippet");
    expect(snippet.textContent).toContain(`endpoint: ${window.location.origin}/webhook`);
    expect(snippet.textContent).toContain("authorization: <WEBHOOK_SECRET>");
    expect(screen.getByRole("button", { name: "Copy the DIUN webhook configuration" })).toBeInTheDocument();
    expect(document.title).toBe("DiunDashboard");
  });
});

describe("dismissing", () => {
  it("dims the row at once and keeps it dismissed", async () => {
    const server = fakeServer(sampleUpdates());
    const user = await renderApp();
    await user.click(screen.getByRole("button", { name: `Dismiss ${postgres}` }));
    expect(rowOf(postgres)).toHaveAttribute("data-state", "acknowledged");
    expect(screen.getByTestId("pending-count")).toHaveTextContent("4 pending");
    await waitFor(() => expect(server.calls).toContainEqual({ method: "PATCH", path: `/api/updates/${encodeURIComponent(postgres)}`, body: undefined }));
    await refocus();
    expect(rowOf(postgres)).toHaveAttribute("data-state", "acknowledged");
    expect(document.title).toBe("(4) DiunDashboard");
  });

  it("rolls back and shows the error when the server refuses", async () => {
    const server = fakeServer(sampleUpdates());
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    server.intercept = (method) => (method === "PATCH" ? gate.then(() => errorResponse(500, "internal", "database is locked")) : undefined);
    const user = await renderApp();

    await user.click(screen.getByRole("button", { name: `Dismiss ${postgres}` }));
    expect(rowOf(postgres)).toHaveAttribute("data-state", "acknowledged"); // optimistic
    await act(async () => release());

    await waitFor(() => expect(rowOf(postgres)).toHaveAttribute("data-state", "pending"));
    expect(await screen.findByText(`Couldn't dismiss ${postgres}: database is locked`)).toBeInTheDocument();
    expect(screen.getByTestId("pending-count")).toHaveTextContent("5 pending");
  });

  it("rolls back when the network fails", async () => {
    const server = fakeServer(sampleUpdates());
    const user = await renderApp();
    server.fetch.mockImplementationOnce(async () => {
      throw new TypeError("Failed to fetch");
    });
    await user.click(screen.getByRole("button", { name: `Dismiss ${postgres}` }));
    expect(await screen.findByText(`Couldn't dismiss ${postgres}: The server is unreachable`)).toBeInTheDocument();
    expect(rowOf(postgres)).toHaveAttribute("data-state", "pending");
  });
});

describe("live refresh", () => {
  it("shows a banner while the server is unreachable and clears it on recovery", async () => {
    const server = fakeServer(sampleUpdates());
    await renderApp();
    const ok = server.fetch.getMockImplementation()!;
    server.fetch.mockImplementation(async () => {
      throw new TypeError("Failed to fetch");
    });
    await refocus();
    expect(await screen.findByTestId("offline-banner")).toHaveAttribute("role", "alert");
    expect(document.querySelectorAll("li[data-image]")).toHaveLength(6); // the last data stays

    server.fetch.mockImplementation(ok);
    await refocus();
    await waitFor(() => expect(screen.queryByTestId("offline-banner")).toBeNull());
  });

  it("picks up new events without losing the other rows", async () => {
    const server = fakeServer(sampleUpdates());
    await renderApp();
    const before = rowOf(events.swarm.image);
    server.updates = { ...server.updates, "ghcr.io/acme/api:2.0.0": { ...server.updates[postgres], event: { ...events.docker, image: "ghcr.io/acme/api:2.0.0" } } };
    await refocus();
    await screen.findByText("acme/api");
    expect(rowOf(events.swarm.image)).toBe(before); // same DOM node: keyed by image, no flicker
  });

  it("polls on its timer and pauses while the page is hidden", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const server = fakeServer(sampleUpdates());
      render(<App pollMs={5000} />);
      await screen.findByText("postgres");
      const count = () => server.calls.filter((c) => c.path === "/api/updates").length;
      const first = count();
      await act(() => vi.advanceTimersByTimeAsync(5000));
      expect(count()).toBe(first + 1);

      Object.defineProperty(document, "hidden", { configurable: true, get: () => true });
      document.dispatchEvent(new Event("visibilitychange"));
      await act(() => vi.advanceTimersByTimeAsync(20_000));
      expect(count()).toBe(first + 1);

      Object.defineProperty(document, "hidden", { configurable: true, get: () => false });
      await act(async () => {
        document.dispatchEvent(new Event("visibilitychange"));
        await vi.advanceTimersByTimeAsync(10);
      });
      expect(count()).toBe(first + 2);
    } finally {
      Reflect.deleteProperty(document, "hidden");
      vi.useRealTimers();
    }
  });
});

describe("finding things", () => {
  it("applies the view from the URL and writes changes back", async () => {
    window.history.replaceState(null, "", "/?q=valkey&sort=image");
    fakeServer(sampleUpdates());
    const user = userEvent.setup();
    render(<App pollMs={POLL} />);
    await screen.findByText("valkey/valkey");
    expect(document.querySelectorAll("li[data-image]")).toHaveLength(1);
    expect(screen.getByRole("searchbox", { name: "Search" })).toHaveValue("valkey");
    expect(screen.getByRole("combobox", { name: "Sort by" })).toHaveValue("image");

    await user.clear(screen.getByRole("searchbox", { name: "Search" }));
    await user.type(screen.getByRole("searchbox", { name: "Search" }), "app-db");
    await user.selectOptions(screen.getByRole("combobox", { name: "Status" }), "pending");
    await waitFor(() => expect(document.querySelectorAll("li[data-image]")).toHaveLength(1));
    expect(rowOf(postgres)).toBeInTheDocument();
    expect(window.location.search).toBe("?q=app-db&status=pending&sort=image");

    await user.click(screen.getAllByRole("button", { name: "Clear filters" })[0]);
    await waitFor(() => expect(document.querySelectorAll("li[data-image]")).toHaveLength(6));
    expect(window.location.search).toBe("?sort=image");
  });

  it("says so when nothing matches", async () => {
    window.history.replaceState(null, "", "/?q=zzz");
    fakeServer(sampleUpdates());
    render(<App pollMs={POLL} />);
    expect(await screen.findByText("No images match this view.")).toBeInTheDocument();
  });

  it("groups by tag in collapsible sections, untagged last", async () => {
    fakeServer(sampleUpdates(), [prod, staging]);
    const user = await renderApp();
    await user.click(screen.getByRole("checkbox", { name: "Group by tag" }));
    const sections = await screen.findAllByRole("region");
    expect(sections.map((s) => s.getAttribute("data-group"))).toEqual(["production", "Staging", "untagged"]);
    expect(window.location.search).toBe("?group=tag");

    const toggle = within(sections[2]).getByRole("button", { name: /untagged/i });
    expect(toggle).toHaveAttribute("aria-expanded", "true");
    await user.click(toggle);
    expect(toggle).toHaveAttribute("aria-expanded", "false");
    expect(within(sections[2]).queryAllByRole("listitem")).toHaveLength(0);
  });
});

describe("tags", () => {
  it("assigns and unassigns a tag from the row", async () => {
    const server = fakeServer(sampleUpdates(), [prod, staging]);
    const user = await renderApp();
    const image = events.kubernetes.image;
    await user.selectOptions(screen.getByRole("combobox", { name: `Tag for ${image}` }), "Staging");
    await waitFor(() => expect(server.calls).toContainEqual({ method: "PUT", path: "/api/tag-assignments", body: { image, tag_id: 2 } }));
    expect(screen.getByRole("combobox", { name: `Tag for ${image}` })).toHaveValue("2");

    await user.selectOptions(screen.getByRole("combobox", { name: `Tag for ${image}` }), "No tag");
    await waitFor(() => expect(server.calls).toContainEqual({ method: "DELETE", path: "/api/tag-assignments", body: { image } }));
    expect(screen.getByRole("combobox", { name: `Tag for ${image}` })).toHaveValue("");
  });

  it("creates a tag, refuses a duplicate, and deletes after confirmation", async () => {
    const server = fakeServer(sampleUpdates(), [prod, staging]);
    const user = await renderApp();
    await user.click(screen.getByRole("button", { name: "Tags" }));
    const dialog = screen.getByRole("dialog", { name: "Tags" });

    await user.type(within(dialog).getByLabelText("New tag"), "  edge  ");
    await user.click(within(dialog).getByRole("button", { name: "Create tag" }));
    await within(dialog).findByText("edge");
    expect(server.calls).toContainEqual({ method: "POST", path: "/api/tags", body: { name: "edge" } });

    await user.type(within(dialog).getByLabelText("New tag"), "production");
    await user.click(within(dialog).getByRole("button", { name: "Create tag" }));
    expect(await within(dialog).findByText("A tag named “production” already exists.")).toBeInTheDocument();

    await user.click(within(dialog).getByRole("button", { name: "Delete tag production" }));
    expect(within(dialog).getByText("1 image becomes untagged.")).toBeInTheDocument();
    await user.click(within(dialog).getByRole("button", { name: "Confirm deleting tag production" }));
    await waitFor(() => expect(within(dialog).queryByText("production")).toBeNull());
    expect(server.calls).toContainEqual({ method: "DELETE", path: "/api/tags/1", body: undefined });

    await user.keyboard("{Escape}");
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(screen.getByRole("combobox", { name: `Tag for ${postgres}` })).toHaveValue("");
  });
});

describe("history", () => {
  it("lists past events and loads more with `before`", async () => {
    const server = fakeServer(sampleUpdates());
    server.history[postgres] = Array.from({ length: 60 }, (_, i): EventRecord => ({
      id: 100 - i,
      received_at: `2026-01-0${1 + (i % 9)}T10:00:00Z`,
      event: { ...events.docker, digest: `sha256:${String(100 - i).padStart(64, "0")}` },
    }));
    const user = await renderApp();
    await user.click(screen.getByRole("button", { name: `History of ${postgres}` }));
    const dialog = screen.getByRole("dialog");
    await waitFor(() => expect(within(dialog).getAllByRole("listitem")).toHaveLength(50));
    expect(server.calls.at(-1)?.path).toBe(`/api/updates/${encodeURIComponent(postgres)}/events?limit=50`);

    await user.click(within(dialog).getByRole("button", { name: "Load more" }));
    await waitFor(() => expect(within(dialog).getAllByRole("listitem")).toHaveLength(60));
    expect(server.calls.at(-1)?.path).toBe(`/api/updates/${encodeURIComponent(postgres)}/events?limit=50&before=51`);
    expect(within(dialog).queryByRole("button", { name: "Load more" })).toBeNull();
  });
});
