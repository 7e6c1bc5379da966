import { render, screen } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import ConversationList from "../ConversationList.svelte";
import { item } from "./fixtures";

const query = { view: "all" as const, status: null, channel: null, label: null, sort: "lastActivity" as const };

describe("ConversationList", () => {
  it("renders only the rows in view of 10,000 conversations", () => {
    const conversations = Array.from({ length: 10_000 }, (_, i) => item(i));
    render(ConversationList, { conversations, loaded: true, error: null, selectedId: null, query, labels: [], onselect: () => {} });
    expect(screen.getByTestId("conversation-count").textContent).toBe("10000 conversations");
    const rows = screen.getAllByTestId("conversation-item");
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(60);
    expect(rows[0]!.dataset.conversationId).toBe("conv_0");
  });

  it("shows unread counts, escalations and how long someone waits", () => {
    const conversations = [
      item(1, { unread: 3, escalatedAt: "2026-12-01T10:00:00Z", waitingSince: new Date(Date.now() - 600_000).toISOString() }),
    ];
    render(ConversationList, { conversations, loaded: true, error: null, selectedId: null, query, labels: [], onselect: () => {} });
    expect(screen.getByTestId("unread").textContent).toBe("3");
    const row = screen.getByTestId("conversation-item");
    expect(row.querySelector(".tag.escalated")?.textContent).toBe("Escalated");
    expect(row.querySelector(".tag.waiting")?.textContent).toBe("waiting 10m");
  });

  it("says what an empty view means", () => {
    const props = { conversations: [], loaded: true, error: null, selectedId: null, labels: [], onselect: () => {} };
    const { unmount } = render(ConversationList, { ...props, query: { ...query, view: "escalated" } });
    expect(screen.getByTestId("inbox-empty").textContent).toContain("No escalations");
    unmount();
    render(ConversationList, { ...props, query: { ...query, view: "mine" } });
    expect(screen.getByTestId("inbox-empty").textContent).toContain("Nothing assigned to you");
  });
});
