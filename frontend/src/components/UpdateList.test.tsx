import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { UpdatesMap } from "../api/types";
import { toRows } from "../lib/rows";
import { entry, events, prod } from "../test/data";
import { PAGE_SIZE, UpdateList } from "./UpdateList";

const actions = { onDismiss: vi.fn(), onAssignTag: vi.fn(), onShowHistory: vi.fn() };

function manyRows(n: number, tagEvery = 0) {
  const map: UpdatesMap = {};
  for (let i = 0; i < n; i++) {
    const image = `registry.example:5000/team/app-${i}:1.0`;
    map[image] = entry({ ...events.docker, image }, { tag: tagEvery && i % tagEvery === 0 ? prod : null });
  }
  return toRows(map);
}

describe("UpdateList", () => {
  it("renders a page of rows at a time, with show more", async () => {
    const user = userEvent.setup();
    const rows = manyRows(PAGE_SIZE * 2 + 7);
    render(<UpdateList rows={rows} grouped={false} tags={[prod]} now={Date.now()} actions={actions} />);
    expect(screen.getAllByRole("listitem")).toHaveLength(PAGE_SIZE);
    await user.click(screen.getByRole("button", { name: /show 50 more/i }));
    expect(screen.getAllByRole("listitem")).toHaveLength(PAGE_SIZE * 2);
    await user.click(screen.getByRole("button", { name: /show 7 more/i }));
    expect(screen.getAllByRole("listitem")).toHaveLength(rows.length);
    expect(screen.queryByRole("button", { name: /show .* more/i })).toBeNull();
  });

  it("pages each tag section on its own", () => {
    const rows = manyRows(PAGE_SIZE * 3, 2); // half tagged
    render(<UpdateList rows={rows} grouped tags={[prod]} now={Date.now()} actions={actions} />);
    const [tagged, untagged] = screen.getAllByRole("region");
    expect(within(tagged).getAllByRole("listitem")).toHaveLength(PAGE_SIZE);
    expect(within(untagged).getAllByRole("listitem")).toHaveLength(PAGE_SIZE);
    expect(within(tagged).getByRole("button", { name: /show 25 more/i })).toBeInTheDocument();
  });
});
