import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import type { KnowledgeEntry, KnowledgeImport } from "../lib/bindings";
import { answer, callsOf } from "../test/bridge";
import KnowledgePanel from "./KnowledgePanel.svelte";

const flush = () => new Promise((r) => setTimeout(r, 0));

function entry(id: string, title: string, url: string | null, imported = url !== null): KnowledgeEntry {
  return { id, title, body: `${title} text`, url, imported, createdAt: "2026-12-01T00:00:00Z", updatedAt: "2026-12-01T00:00:00Z", seq: 1 };
}

describe("KnowledgePanel", () => {
  it("says what to do when there is no knowledge", async () => {
    answer("knowledge", () => []);
    render(KnowledgePanel);
    await flush();
    expect(screen.getByTestId("knowledge-empty").textContent).toContain("Import your website");
  });

  it("imports a site, reports what changed and what was not read, and lists the entries by page", async () => {
    let entries: KnowledgeEntry[] = [entry("kn_1", "Parking", null)];
    const result: KnowledgeImport = {
      pages: [{ url: "https://clinic.example/", title: "Clinic", entries: 2 }],
      skipped: [{ url: "https://clinic.example/private", reason: "robots.txt disallows it" }],
      created: 2,
      updated: 0,
      unchanged: 0,
      removed: 0,
      edited: 1,
    };
    answer("knowledge", () => entries);
    answer("import_knowledge", () => {
      entries = [
        ...entries,
        entry("kn_2", "Hours", "https://clinic.example/"),
        entry("kn_3", "Prices", "https://clinic.example/", false),
      ];
      return result;
    });
    render(KnowledgePanel);
    await flush();
    await fireEvent.input(screen.getByTestId("import-url"), { target: { value: " https://clinic.example/ " } });
    await fireEvent.input(screen.getByTestId("import-pages"), { target: { value: "5" } });
    await fireEvent.click(screen.getByTestId("import-run"));
    await flush();
    expect(callsOf("import_knowledge")).toEqual([{ url: "https://clinic.example/", maxPages: 5 }]);
    const status = screen.getByTestId("import-result").textContent ?? "";
    expect(status).toContain("Read 1 page: 2 new");
    expect(status).toContain("1 kept as your team wrote it");
    expect(status).toContain("1 page not read");
    expect(status).toContain("robots.txt disallows it");
    expect(screen.getAllByTestId("knowledge-entry")).toHaveLength(3);
    expect(screen.getByText("Added by hand")).toBeTruthy();
    // The team's entry citing the page is marked as theirs; the imported one is not.
    expect(screen.getAllByTestId("knowledge-by-team")).toHaveLength(1);
  });

  it("shows why an import failed, in the server's words", async () => {
    answer("knowledge", () => []);
    answer("import_knowledge", () => {
      throw { code: "url_unreadable", message: "url could not be read: the site's robots.txt does not allow reading it" };
    });
    render(KnowledgePanel);
    await fireEvent.input(screen.getByTestId("import-url"), { target: { value: "https://closed.example/" } });
    await fireEvent.click(screen.getByTestId("import-run"));
    await flush();
    expect(screen.getByTestId("import-error").textContent).toContain("robots.txt");
  });
});
