import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import type { MessageTemplate } from "../../lib/bindings";
import { answer, callsOf } from "../../test/bridge";
import Composer from "../Composer.svelte";
import { closed, entry, item, open } from "./fixtures";

const template: MessageTemplate = {
  id: "tpl_1",
  name: "results_ready",
  language: "en",
  category: "utility",
  body: "Hi {{1}}, your results are ready.",
  paramCount: 1,
  status: "approved",
  createdAt: "2026-01-01T00:00:00Z",
  updatedAt: "2026-01-01T00:00:00Z",
  seq: 1,
};

const flush = () => new Promise((r) => setTimeout(r, 0));

describe("Composer", () => {
  it("counts down WhatsApp's window and sends free text inside it", async () => {
    answer("templates", () => [template]);
    answer("send", () => entry());
    render(Composer, { conversation: item(1), careWindow: open, lastInboundMessageId: "msg_1", unansweredMessageId: "msg_1", mode: "reply", focus: 0, onsent: () => {} });
    expect(screen.getByTestId("care-window").textContent).toMatch(/closes in [23]h/);
    const input = screen.getByTestId("composer-input") as HTMLTextAreaElement;
    await fireEvent.input(input, { target: { value: "  See you at 4  " } });
    await fireEvent.click(screen.getByTestId("send-button"));
    await flush();
    expect(callsOf("send")).toEqual([
      { request: { conversationId: "conv_1", compose: { kind: "text", body: "See you at 4" }, sendAt: null } },
    ]);
  });

  it("outside the window offers templates with their fields instead of free text", async () => {
    answer("templates", () => [template]);
    answer("send", () => entry());
    render(Composer, { conversation: item(1), careWindow: closed, lastInboundMessageId: "msg_1", unansweredMessageId: "msg_1", mode: "reply", focus: 0, onsent: () => {} });
    await flush();
    expect(screen.getByTestId("care-window").textContent).toContain("send a template");
    expect(screen.queryByTestId("composer-input")).toBeNull();
    expect(screen.queryByTestId("ai-draft")).toBeNull();
    const select = screen.getByTestId("template-select") as HTMLSelectElement;
    await fireEvent.change(select, { target: { value: "tpl_1" } });
    const send = screen.getByTestId("send-button") as HTMLButtonElement;
    expect(send.disabled).toBe(true);
    await fireEvent.input(screen.getByTestId("template-param"), { target: { value: "Maya" } });
    expect(screen.getByTestId("template-preview").textContent).toBe("Hi Maya, your results are ready.");
    expect(send.disabled).toBe(false);
    await fireEvent.click(send);
    await flush();
    expect(callsOf("send")[0]).toEqual({
      request: { conversationId: "conv_1", compose: { kind: "template", name: "results_ready", language: "en", params: ["Maya"] }, sendAt: null },
    });
  });

  it("puts the AI's draft in the box with its sources, and flags it once a newer message came", async () => {
    answer("templates", () => []);
    answer("ai_draft", () => ({
      reply: "We are open until 18:00.",
      sources: [{ title: "Opening hours", url: null, excerpt: "Mon–Fri 8–18" }],
      confidence: 0.82,
      lowConfidence: false,
      basedOnMessageId: "msg_1",
    }));
    const props = { conversation: item(1), careWindow: open, lastInboundMessageId: "msg_1", unansweredMessageId: "msg_1", mode: "reply" as const, focus: 0, onsent: () => {} };
    const { rerender } = render(Composer, props);
    await fireEvent.click(screen.getByTestId("ai-draft"));
    await flush();
    expect((screen.getByTestId("composer-input") as HTMLTextAreaElement).value).toBe("We are open until 18:00.");
    expect(screen.getByTestId("draft").textContent).toContain("confidence 82%");
    expect(screen.getByTestId("draft").textContent).toContain("Opening hours");
    expect(screen.queryByTestId("draft-stale")).toBeNull();
    await rerender({ ...props, lastInboundMessageId: "msg_2", unansweredMessageId: "msg_2" });
    expect(screen.getByTestId("draft-stale")).toBeTruthy();
  });

  it("offers no draft where the last word is ours", async () => {
    answer("templates", () => []);
    render(Composer, { conversation: item(1), careWindow: open, lastInboundMessageId: "msg_1", unansweredMessageId: null, mode: "reply", focus: 0, onsent: () => {} });
    const button = screen.getByTestId("ai-draft") as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(button.title).toContain("the last message is yours");
    await fireEvent.click(button);
    await flush();
    expect(callsOf("ai_draft")).toHaveLength(0);
  });

  it("shows the refusal in words and keeps the text", async () => {
    answer("templates", () => []);
    answer("send", () => {
      throw { code: "outside_care_window", message: "refused" };
    });
    render(Composer, { conversation: item(1), careWindow: open, lastInboundMessageId: null, unansweredMessageId: null, mode: "note", focus: 0, onsent: () => {} });
    const input = screen.getByTestId("composer-input") as HTMLTextAreaElement;
    await fireEvent.input(input, { target: { value: "Left a voicemail" } });
    await fireEvent.click(screen.getByTestId("send-button"));
    await flush();
    expect(callsOf("send")[0]).toMatchObject({ request: { compose: { kind: "note", body: "Left a voicemail" } } });
    expect(screen.getByTestId("composer-error").textContent).toContain("24-hour window");
    expect(input.value).toBe("Left a voicemail");
  });
});
