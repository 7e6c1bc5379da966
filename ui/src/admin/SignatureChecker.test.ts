import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { answer, callsOf } from "../test/bridge";
import SignatureChecker from "./SignatureChecker.svelte";

const flush = () => new Promise((r) => setTimeout(r, 0));

describe("SignatureChecker", () => {
  it("sends what was pasted and says why a delivery does not verify", async () => {
    answer("check_signature", () => ({ valid: false, reason: "the webhook-id header is missing" }));
    render(SignatureChecker);
    await fireEvent.input(screen.getByTestId("check-secret"), { target: { value: "whsec_x" } });
    await fireEvent.input(screen.getByTestId("check-body"), { target: { value: "{}" } });
    await fireEvent.click(screen.getByTestId("check-signature"));
    await flush();
    expect(callsOf("check_signature")).toEqual([{ check: { secret: "whsec_x", headers: "", body: "{}" } }]);
    expect(screen.getByTestId("verdict").dataset.valid).toBe("false");
    expect(screen.getByTestId("verdict").textContent).toContain("webhook-id header is missing");
  });
});
