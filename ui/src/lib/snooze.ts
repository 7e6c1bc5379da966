/** The snooze menu's choices, in the agent's local time. */
export function snoozePresets(now: Date): { label: string; until: string }[] {
  const at = (days: number, hour: number) => {
    const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() + days, hour, 0, 0, 0);
    return d.toISOString();
  };
  const monday = (8 - now.getDay()) % 7 || 7;
  return [
    { label: "1 hour", until: new Date(now.getTime() + 3600_000).toISOString() },
    { label: "3 hours", until: new Date(now.getTime() + 3 * 3600_000).toISOString() },
    { label: "Tomorrow 9:00", until: at(1, 9) },
    { label: "Next Monday 9:00", until: at(monday, 9) },
  ];
}
