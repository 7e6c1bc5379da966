import { describe, expect, it } from "vitest";
import { countdown, dayKey, dayLabel, fromLocalInput, shortTime, waited } from "./format";
import { explain } from "./errors";
import { filterActions, typingIn, type PaletteAction } from "./palette";
import { snoozePresets } from "./snooze";

const now = new Date("2026-12-01T12:00:00Z");

describe("times", () => {
  it("counts down to the WhatsApp window's end and stops at zero", () => {
    expect(countdown("2026-12-02T11:55:00Z", now)).toBe("23h 55m");
    expect(countdown("2026-12-01T12:04:10Z", now)).toBe("4m 10s");
    expect(countdown("2026-12-01T11:59:59Z", now)).toBe("");
    expect(countdown("not a time", now)).toBe("");
  });

  it("says how long a contact has waited", () => {
    expect(waited("2026-12-01T11:59:30Z", now)).toBe("1m");
    expect(waited("2026-12-01T09:00:00Z", now)).toBe("3h");
    expect(waited("2026-11-28T12:00:00Z", now)).toBe("3d");
  });

  it("names days for separators and groups by local day", () => {
    const local = new Date(2026, 11, 1, 15, 0);
    expect(dayLabel(local.toISOString(), local)).toBe("Today");
    expect(dayLabel(new Date(2026, 10, 30, 23, 0).toISOString(), local)).toBe("Yesterday");
    expect(dayKey(new Date(2026, 11, 1, 0, 5).toISOString())).toBe("2026-12-01");
    expect(shortTime("2026-12-01T11:59:50Z", now)).toBe("now");
  });

  it("reads a datetime-local value or nothing", () => {
    expect(fromLocalInput("")).toBeNull();
    expect(fromLocalInput("nonsense")).toBeNull();
    expect(fromLocalInput("2026-12-24T09:30")).toBe(new Date(2026, 11, 24, 9, 30).toISOString());
  });

  it("offers snoozes in the future, next Monday at nine", () => {
    const tuesday = new Date(2026, 11, 1, 15, 0);
    const presets = snoozePresets(tuesday);
    expect(presets.every((p) => new Date(p.until) > tuesday)).toBe(true);
    const monday = new Date(presets.find((p) => p.label.startsWith("Next Monday"))!.until);
    expect([monday.getDay(), monday.getHours(), monday.getDate()]).toEqual([1, 9, 7]);
  });
});

describe("words for codes", () => {
  it("explains the codes agents meet and keeps the server's words otherwise", () => {
    expect(explain("outside_care_window", "x")).toContain("24-hour window");
    expect(explain("something_new", "The server's words")).toBe("The server's words");
    expect(explain(null, "fallback")).toBe("fallback");
  });
});

describe("palette", () => {
  const action = (id: string, label: string, enabled = true): PaletteAction => ({ id, label, enabled, run: () => {} });
  it("finds enabled actions by every word typed", () => {
    const all = [action("a", "Assign to me"), action("r", "Resolve conversation"), action("x", "Resolve later", false)];
    expect(filterActions(all, "res").map((a) => a.id)).toEqual(["r"]);
    expect(filterActions(all, "to me").map((a) => a.id)).toEqual(["a"]);
    expect(filterActions(all, "").map((a) => a.id)).toEqual(["a", "r"]);
  });

  it("leaves keys typed into fields alone", () => {
    expect(typingIn(document.createElement("textarea"))).toBe(true);
    expect(typingIn(document.createElement("button"))).toBe(false);
    expect(typingIn(null)).toBe(false);
  });
});
