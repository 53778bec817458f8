import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from "../../../tests/setup/databases";
import { convening, person, type TestPerson } from "../../../tests/factories";
import { ActionError } from "./errors";
import { createAction, postUpdate } from "./items.server";
import { setActionStatus } from "./status.server";
import type { ActionStatus } from "./states";

const at = (iso: string) => new Date(`${iso}T09:00:00Z`);

describe.each(DATABASE_KINDS)("changing an action item's status on %s", (kind) => {
  let t: TestDatabase;
  let conveningId: number;
  let organizerId: number;
  let owner: TestPerson;
  let other: TestPerson;
  let itemId: number;
  const reject = (p: Promise<unknown>) => p.then(() => "accepted", (e: unknown) => (e instanceof ActionError ? `${e.status} ${e.code} ${JSON.stringify(e.fieldErrors())}` : String(e)));
  const item = () => t.db.selectFrom("action_items").selectAll().where("id", "=", itemId).executeTakeFirstOrThrow();
  const move = async (to: ActionStatus, by: { id: number; organizer: boolean }, note = "", now = at("2027-06-10")) => setActionStatus(t.db, await item(), to, { by, note, now });

  beforeAll(async () => {
    t = await freshDatabase(kind);
    const c = await convening(t.db, { slug: `status-${kind}` });
    conveningId = c.id;
    organizerId = c.organizerId;
    owner = await person(t.db, { name: "Owner" });
    other = await person(t.db, { name: "Other" });
    itemId = await createAction(t.db, { conveningId, proposalId: null, title: "Shadow report", dueOn: "2027-07-01", owners: [{ personId: owner.id }], visibility: "group", by: { id: organizerId, organizer: true }, now: at("2027-06-02") });
  });
  afterAll(async () => {
    await t.drop();
  });

  it("refuses someone who neither owns the item nor organizes, a move that is not one, and reopening without a note, changing nothing", async () => {
    expect(await reject(move("in_progress", { id: other.id, organizer: false }))).toBe('403 not_owner {"text":["errors.notOwner"]}');
    await move("done", { id: owner.id, organizer: false }, "Sent");
    expect(await reject(move("dropped", { id: owner.id, organizer: false }, "Changed my mind"))).toBe('409 invalid_transition {"text":["errors.invalidTransition"]}');
    expect(await reject(move("open", { id: owner.id, organizer: false }, "  "))).toBe('400 needs_note {"text":["errors.needsNote"]}');
    expect(await reject(postUpdate(t.db, { actionId: itemId, by: { id: owner.id, organizer: false }, text: "", status: "in_progress" }))).toBe('400 needs_note {"text":["errors.needsNote"]}');
    expect((await item()).status).toBe("done");
  });

  it("keeps each move in the history and the audit log, with the closing note set on closing and cleared on reopening", async () => {
    expect([(await item()).status, (await item()).closing_note]).toEqual(["done", "Sent"]);
    await move("open", { id: organizerId, organizer: true }, "The ministry asked for more", at("2027-06-12"));
    expect([(await item()).status, (await item()).closing_note]).toEqual(["open", null]);
    const history = await t.db.selectFrom("action_updates").select(["author_id", "text", "status_from", "status_to"]).where("action_id", "=", itemId).orderBy("id").execute();
    expect(history).toEqual([
      { author_id: owner.id, text: "Sent", status_from: "open", status_to: "done" },
      { author_id: organizerId, text: "The ministry asked for more", status_from: "done", status_to: "open" },
    ]);
    const audit = await t.db.selectFrom("audit_log").select(["actor_id", "details"]).where("action", "=", "action.status_changed").where("subject_id", "=", itemId).orderBy("id").execute();
    expect(audit.map((a) => [a.actor_id, JSON.parse(a.details)])).toEqual([
      [owner.id, { from: "open", to: "done" }],
      [organizerId, { from: "done", to: "open" }],
    ]);
  });
});
