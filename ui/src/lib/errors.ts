import type { ErrorInfo } from "./bindings";

/** What an agent reads for the codes they meet; anything else shows the server's words. */
const plain: Record<string, string> = {
  outside_care_window: "Outside WhatsApp's 24-hour window — send a template.",
  invalid_recipient: "WhatsApp cannot reach this number.",
  template_rejected: "WhatsApp rejected this template.",
  template_unavailable: "That template cannot be used.",
  channel_auth_failed: "The WhatsApp number's access token no longer works — ask an admin.",
  rate_limited: "Too many messages at once — it will be tried again.",
  network_error: "No connection to the workspace — it will go when the connection is back.",
  insufficient_scope: "Your API key is not allowed to do this.",
  invalid_api_key: "The workspace no longer accepts this app's API key.",
  not_found: "It no longer exists in the workspace.",
  nothing_to_answer: "Nothing to answer: the last message is yours.",
};

export function explain(code: string | null | undefined, fallback: string): string {
  return (code && plain[code]) || fallback;
}

export function describe(e: ErrorInfo): string {
  return explain(e.code, e.message);
}
