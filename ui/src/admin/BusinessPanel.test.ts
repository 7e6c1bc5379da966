import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import type { WorkspaceSettings } from "../lib/bindings";
import { answer, callsOf } from "../test/bridge";
import BusinessPanel from "./BusinessPanel.svelte";

const flush = () => new Promise((r) => setTimeout(r, 0));

// What the server offers (a few of its lists): the form offers these and nothing else.
const lists = { timeZones: ["America/Sao_Paulo", "Asia/Dubai", "Europe/London"], regions: ["AE", "BR", "GB"] };
const inferred: WorkspaceSettings = {
  timeZone: null,
  region: null,
  agentTimeZone: "Europe/London",
  agentRegion: "GB",
  ...lists,
};

describe("BusinessPanel", () => {
  it("shows what the agent goes by when nothing is set, and saves a time zone and region", async () => {
    answer("settings", () => inferred);
    answer("update_settings", (args) => ({
      timeZone: args.timeZone,
      region: args.region,
      agentTimeZone: args.timeZone,
      agentRegion: args.region,
      ...lists,
    }));
    render(BusinessPanel);
    await flush();
    const zone = screen.getByTestId("settings-zone") as HTMLSelectElement;
    const region = screen.getByTestId("settings-region") as HTMLSelectElement;
    expect(zone.value).toBe("");
    expect(zone.options[0]?.textContent).toContain("Europe/London");
    expect(region.options[0]?.textContent).toMatch(/United Kingdom|GB/);
    expect([...zone.options].some((o) => o.value === "America/Sao_Paulo")).toBe(true);
    expect([...region.options].some((o) => o.value === "BR")).toBe(true);
    expect([...zone.options].map((o) => o.value)).toEqual(["", ...lists.timeZones]);
    expect([...region.options].map((o) => o.value).sort()).toEqual(["", ...lists.regions].sort());

    await fireEvent.change(zone, { target: { value: "America/Sao_Paulo" } });
    await fireEvent.change(region, { target: { value: "BR" } });
    await fireEvent.click(screen.getByTestId("settings-save"));
    await flush();
    expect(callsOf("update_settings")).toEqual([{ timeZone: "America/Sao_Paulo", region: "BR" }]);
    expect(screen.getByTestId("settings-saved").textContent).toContain("Saved");
  });

  it("sends automatic as null and shows a refusal in the server's words", async () => {
    answer("settings", () => ({ ...inferred, timeZone: "Asia/Dubai", region: "AE" }));
    answer("update_settings", () => {
      throw { code: "invalid_parameter", message: "region must be an ISO 3166-1 alpha-2 code in capitals, such as \"BR\"" };
    });
    render(BusinessPanel);
    await flush();
    const zone = screen.getByTestId("settings-zone") as HTMLSelectElement;
    expect(zone.value).toBe("Asia/Dubai");
    await fireEvent.change(zone, { target: { value: "" } });
    await fireEvent.click(screen.getByTestId("settings-save"));
    await flush();
    expect(callsOf("update_settings")).toEqual([{ timeZone: null, region: "AE" }]);
    expect(screen.getByTestId("settings-error").textContent).toContain("ISO 3166-1");
  });
});
