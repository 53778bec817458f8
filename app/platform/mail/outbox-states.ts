/** The states an organizer filters the outbox by; "queued" includes mail being sent at this moment. */
export const OUTBOX_STATES = ["queued", "sent", "failed"] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];
