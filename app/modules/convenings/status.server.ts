// A convening's life: a draft only its organizers see, published (listed, its pages public, its
// forms open in their windows), closed after it ends (read-only; its follow-up goes on). The
// stored value of a closed convening is "archived" (the original schema's name for it).
import type { ConveningStatus } from "../../../db/schema";
import { hasTakenPlace } from "../../lib/dates";
import { writeAudit } from "../../platform/audit.server";
import { inTransaction, type Executor } from "../../platform/db.server";
import { ConveningError } from "./errors";

export type ConveningChange = "publish" | "close" | "reopen";

const CHANGES: Record<ConveningChange, { from: ConveningStatus; to: ConveningStatus; done: "published" | "closed" | "reopened" }> = {
  publish: { from: "draft", to: "published", done: "published" },
  close: { from: "published", to: "archived", done: "closed" },
  reopen: { from: "archived", to: "published", done: "reopened" },
};

/** The changes offered for a convening in this status at this moment: closing only once it has ended. */
export function possibleChanges(convening: { status: ConveningStatus; ends_on: string; time_zone: string }, now: Date): ConveningChange[] {
  return (Object.keys(CHANGES) as ConveningChange[]).filter((change) => CHANGES[change].from === convening.status && (change !== "close" || hasTakenPlace(convening, now)));
}

/** Publishes, closes or reopens a convening, with its audit row; refuses any other change. */
export async function changeConveningStatus(db: Executor, input: { conveningId: number; change: ConveningChange; organizerId: number; now?: Date }): Promise<ConveningStatus> {
  const now = input.now ?? new Date();
  return inTransaction(db, async (trx) => {
    const row = await trx.selectFrom("convenings").select(["id", "status", "ends_on", "time_zone"]).where("id", "=", input.conveningId).executeTakeFirst();
    if (!row) throw new ConveningError("not_found", 404);
    const change = CHANGES[input.change];
    if (row.status !== change.from) throw new ConveningError("status_changed", 409);
    if (input.change === "close" && !hasTakenPlace(row, now)) throw new ConveningError("not_over", 409);
    await trx.updateTable("convenings").set({ status: change.to }).where("id", "=", row.id).where("status", "=", change.from).execute();
    await writeAudit(trx, { actorId: input.organizerId, action: `convening.${change.done}`, subjectType: "convening", subjectId: row.id, conveningId: row.id, details: { from: change.from, to: change.to }, now });
    return change.to;
  });
}

/** May organizers still change this convening? A closed one is read-only, except its follow-up. */
export function isReadOnly(convening: { status: ConveningStatus }): boolean {
  return convening.status === "archived";
}
