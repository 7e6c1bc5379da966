import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { answer, callsOf } from "../../test/bridge";
import PendingSend from "../PendingSend.svelte";
import { entry } from "./fixtures";

describe("PendingSend", () => {
  it("counts down the undo window and takes the send back", async () => {
    answer("discard_send", () => null);
    let changed = 0;
    const held = entry({ sendAt: new Date(Date.now() + 4000).toISOString() });
    render(PendingSend, { entry: held, onchanged: () => changed++ });
    expect(screen.getByTestId("pending-send").dataset.state).toBe("held");
    expect(screen.getByText(/Sending in [1-4] s/)).toBeTruthy();
    await fireEvent.click(screen.getByTestId("undo-send"));
    expect(callsOf("discard_send")).toEqual([{ clientId: "ob_1" }]);
    await Promise.resolve();
    expect(changed).toBe(1);
  });

  it("shows a scheduled send with a cancel, not an undo", () => {
    const later = entry({ sendAt: new Date(Date.now() + 3 * 3600_000).toISOString() });
    render(PendingSend, { entry: later, onchanged: () => {} });
    expect(screen.getByText(/Scheduled for/)).toBeTruthy();
    expect(screen.getByTestId("cancel-send")).toBeTruthy();
  });

  it("says why a send failed in an agent's words and retries it", async () => {
    answer("retry_send", () => entry());
    const failed = entry({ state: "failed", errorCode: "outside_care_window", error: "Re-engagement message" });
    render(PendingSend, { entry: failed, onchanged: () => {} });
    expect(screen.getByTestId("pending-send").textContent).toContain("Outside WhatsApp's 24-hour window");
    await fireEvent.click(screen.getByTestId("retry-send"));
    expect(callsOf("retry_send")).toEqual([{ clientId: "ob_1" }]);
  });

  it("keeps a queued send visible while offline", () => {
    render(PendingSend, { entry: entry(), onchanged: () => {} });
    expect(screen.getByText(/Waiting for the connection/)).toBeTruthy();
  });
});
