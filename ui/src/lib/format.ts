/** "now", "5m", "3h", "Mon", "12 Mar": short times for the inbox list. */
export function shortTime(iso: string, now: Date = new Date()): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return "";
  const seconds = Math.max(0, (now.getTime() - t.getTime()) / 1000);
  if (seconds < 60) return "now";
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h`;
  if (seconds < 6 * 86400) return t.toLocaleDateString(undefined, { weekday: "short" });
  return t.toLocaleDateString(undefined, { day: "numeric", month: "short" });
}

/** Clock time for a message bubble, e.g. "14:05". */
export function clockTime(iso: string): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return "";
  return t.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
}

export function initials(name: string): string {
  const parts = name.replace(/[^\p{L}\p{N} ]/gu, " ").trim().split(/\s+/);
  const letters = parts.slice(0, 2).map((p) => p[0] ?? "");
  return letters.join("").toUpperCase() || "?";
}

/** "Today", "Yesterday", "Monday 3 March": the transcript's day separators. */
export function dayLabel(iso: string, now: Date = new Date()): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return "";
  const day = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const diff = Math.round((day(now) - day(t)) / 86400000);
  if (diff === 0) return "Today";
  if (diff === 1) return "Yesterday";
  return t.toLocaleDateString(undefined, { weekday: "long", day: "numeric", month: "long" });
}

/** The local calendar day of a time, for grouping ("2026-12-01"). */
export function dayKey(iso: string): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return "";
  return `${t.getFullYear()}-${String(t.getMonth() + 1).padStart(2, "0")}-${String(t.getDate()).padStart(2, "0")}`;
}

/** "23h 05m", "4m 10s": how long until a time; "" once it has passed. */
export function countdown(untilIso: string, now: Date = new Date()): string {
  const ms = new Date(untilIso).getTime() - now.getTime();
  if (!(ms > 0)) return "";
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return `${h}h ${String(m).padStart(2, "0")}m`;
  return `${m}m ${String(s % 60).padStart(2, "0")}s`;
}

/** "12m", "3h", "2d": how long someone has waited. */
export function waited(sinceIso: string, now: Date = new Date()): string {
  const s = Math.max(0, (now.getTime() - new Date(sinceIso).getTime()) / 1000);
  if (s < 3600) return `${Math.max(1, Math.floor(s / 60))}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

/** A `datetime-local` input's value as RFC 3339 (UTC), or null when empty or invalid. */
export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const t = new Date(value);
  return Number.isNaN(t.getTime()) ? null : t.toISOString();
}

export function channelName(channel: string): string {
  return channel === "whatsapp" ? "WhatsApp" : "Web chat";
}
