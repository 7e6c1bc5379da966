export type Theme = "system" | "light" | "dark";

const KEY = "switchboard.theme";
let stopFollowing: (() => void) | undefined;

export function loadTheme(): Theme {
  const t = localStorage.getItem(KEY);
  return t === "light" || t === "dark" ? t : "system";
}

/** Sets the page's theme; "system" follows the OS, also when it changes later. */
export function applyTheme(theme: Theme) {
  stopFollowing?.();
  stopFollowing = undefined;
  const set = (t: "light" | "dark") => document.documentElement.setAttribute("data-theme", t);
  if (theme !== "system") return set(theme);
  const system = window.matchMedia?.("(prefers-color-scheme: dark)");
  const follow = () => set(system?.matches ? "dark" : "light");
  follow();
  system?.addEventListener("change", follow);
  stopFollowing = () => system?.removeEventListener("change", follow);
}

export function saveTheme(theme: Theme) {
  localStorage.setItem(KEY, theme);
  applyTheme(theme);
}
