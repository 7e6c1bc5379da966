import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import type { ApiKey, KeyRow } from "../lib/bindings";
import { answer, callsOf } from "../test/bridge";
import KeysPanel from "./KeysPanel.svelte";

const flush = () => new Promise((r) => setTimeout(r, 0));

function key(id: string, over: Partial<ApiKey> = {}): ApiKey {
  return {
    id,
    name: `Key ${id}`,
    prefix: "sb_live_ab",
    scopes: ["read", "write"],
    memberId: "mem_1",
    createdAt: "2026-11-01T00:00:00Z",
    lastUsedAt: null,
    expiresAt: null,
    revokedAt: null,
    ...over,
  };
}

describe("KeysPanel", () => {
  it("never offers to revoke the app's own key, and asks before revoking another", async () => {
    const rows: KeyRow[] = [
      { key: key("key_app"), memberName: "Owner", thisApp: true },
      { key: key("key_zap"), memberName: "Owner", thisApp: false },
    ];
    answer("keys", () => rows);
    answer("revoke_key", () => key("key_zap", { revokedAt: "2026-12-01T00:00:00Z" }));
    render(KeysPanel, { members: [] });
    await flush();
    const [own, other] = screen.getAllByTestId("key-row");
    expect(own!.querySelector("[data-testid=revoke-key]")).toBeNull();
    await fireEvent.click(other!.querySelector("[data-testid=revoke-key]")!);
    expect(callsOf("revoke_key")).toEqual([]);
    await fireEvent.click(screen.getByTestId("confirm-revoke"));
    expect(callsOf("revoke_key")).toEqual([{ keyId: "key_zap" }]);
  });

  it("shows a new key's secret once, with a warning", async () => {
    answer("keys", () => []);
    answer("create_key", () => ({ key: key("key_new", { name: "CRM" }), secret: "sb_live_secret" }));
    render(KeysPanel, { members: [] });
    await fireEvent.input(screen.getByTestId("key-name"), { target: { value: "CRM" } });
    await fireEvent.click(screen.getByTestId("create-key"));
    await flush();
    expect((screen.getByTestId("secret-value") as HTMLInputElement).value).toBe("sb_live_secret");
    expect(screen.getByTestId("secret-once").textContent).toContain("shown only this once");
    await fireEvent.click(screen.getByTestId("secret-done"));
    expect(screen.queryByTestId("secret-value")).toBeNull();
  });
});
