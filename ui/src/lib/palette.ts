/** One thing the agent can do from the keyboard or the command palette. */
export type PaletteAction = {
  id: string;
  label: string;
  /** Shown in the palette and the shortcut help, e.g. "e" or "Ctrl K". */
  shortcut?: string;
  /** False hides it (e.g. conversation actions with none open). */
  enabled: boolean;
  run: () => void;
};

/** Actions whose label contains every typed word, in order of the list. */
export function filterActions(actions: PaletteAction[], text: string): PaletteAction[] {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  return actions.filter((a) => a.enabled && words.every((w) => a.label.toLowerCase().includes(w)));
}

/** Whether a key press belongs to a text field rather than to the shortcuts. */
export function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}
