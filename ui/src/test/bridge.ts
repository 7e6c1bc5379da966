// The Rust side of the bridge, for component tests: each test says what a command answers
// (`answer`), and sees what the component asked (`calls`). A command nobody answered is an
// error, so a component that calls something unexpected fails its test.
import { afterEach, vi } from "vitest";
import { cleanup } from "@testing-library/svelte";

type Handler = (args: Record<string, unknown>) => unknown;
const handlers = new Map<string, Handler>();
export const calls: { command: string; args: Record<string, unknown> }[] = [];

vi.mock("@tauri-apps/api/core", () => ({
  invoke: async (command: string, args: Record<string, unknown> = {}) => {
    calls.push({ command, args });
    const h = handlers.get(command);
    if (!h) throw { code: "not_mocked", message: `no answer for ${command}` };
    return h(args);
  },
  Channel: class {},
}));

vi.mock("@tauri-apps/api/event", () => ({
  listen: async () => () => {},
  once: async () => () => {},
  emit: async () => {},
}));

// jsdom lays nothing out: elements measure 0 and never resize.
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
};

/** `command` answers with `fn(args)`; throwing `{code, message}` is the command's error. */
export function answer(command: string, fn: Handler) {
  handlers.set(command, fn);
}

export function callsOf(command: string) {
  return calls.filter((c) => c.command === command).map((c) => c.args);
}

afterEach(() => {
  cleanup();
  handlers.clear();
  calls.length = 0;
});
