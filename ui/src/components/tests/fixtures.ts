import type { CareWindow, InboxItem, OutboxEntry } from "../../lib/bindings";

export function item(i: number, over: Partial<InboxItem> = {}): InboxItem {
  return {
    id: `conv_${i}`,
    contactId: `ct_${i}`,
    title: `Contact ${i}`,
    channel: "whatsapp",
    status: "open",
    handler: "human",
    assigneeId: null,
    priority: "none",
    labels: [],
    escalatedAt: null,
    escalationReason: null,
    snoozedUntil: null,
    preview: `Message ${i}`,
    lastActivityAt: "2026-12-01T10:00:00.000Z",
    lastInboundAt: "2026-12-01T10:00:00.000Z",
    waitingSince: null,
    unread: 0,
    ...over,
  };
}

export function entry(over: Partial<OutboxEntry> = {}): OutboxEntry {
  return {
    clientId: "ob_1",
    conversationId: "conv_1",
    action: { kind: "text", body: "On my way" },
    state: "pending",
    errorCode: null,
    error: null,
    attempts: 0,
    messageId: null,
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
    sendAt: null,
    ...over,
  };
}

export const open: CareWindow = { applies: true, open: true, closesAt: new Date(Date.now() + 3 * 3600_000).toISOString() };
export const closed: CareWindow = { applies: true, open: false, closesAt: new Date(Date.now() - 3600_000).toISOString() };
