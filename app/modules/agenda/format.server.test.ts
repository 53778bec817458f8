import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from "../../../tests/setup/databases";
import { agenda, convening, participant, proposal, unique } from "../../../tests/factories";
import { AgendaError } from "./errors";
import { setAloneInSlot } from "./format.server";
import { buildInstance } from "./placements.server";
import { solve } from "./solver";
import { addRoom } from "./setup.server";

const NOW = new Date("2027-02-01T12:00:00Z");

describe.each(DATABASE_KINDS)("format rules on %s", (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshDatabase(kind);
  });
  afterAll(async () => {
    await t.drop();
  });

  it("marks a session alone in its slot (audited once), and the scheduler's instance carries it, plenaries and published places", async () => {
    const { id: conveningId, organizerId } = await convening(t.db, { slug: `f-${kind}-${unique()}`, title: "Format Meeting", startsOn: "2027-06-14", endsOn: "2027-06-15", registration: {}, cfp: { formats: ["workshop", "plenary"] } });
    const ana = await participant(t.db, conveningId, { name: "Ana" });
    const opening = await proposal(t.db, { conveningId, proposerId: ana.id, status: "accepted", now: NOW, answers: { title: "Opening", format: "plenary" } });
    const caucus = await proposal(t.db, { conveningId, proposerId: ana.id, status: "accepted", now: NOW, answers: { title: "Caucus" } });
    const other = await proposal(t.db, { conveningId, proposerId: ana.id, status: "accepted", now: NOW, answers: { title: "Other" } });
    const made = await agenda(t.db, {
      conveningId,
      organizerId,
      rooms: [{ name: "Hall", capacity: 200 }, { name: "Small", capacity: 20 }],
      slots: [{ date: "2027-06-14", time: "09:00", minutes: 90 }, { date: "2027-06-14", time: "14:00", minutes: 90 }, { date: "2027-06-15", time: "09:00", minutes: 90 }],
      placements: [{ proposalId: opening.id, slot: 0, room: 0 }],
      publish: { now: NOW },
    });
    // After publication a larger hall is added: the plenary now belongs there.
    const bigHall = await addRoom(t.db, { conveningId, organizerId, name: "Big hall", capacity: 400, features: [] });

    expect(await setAloneInSlot(t.db, { conveningId, organizerId, proposalId: caucus.id, alone: true })).toEqual({ changed: true });
    expect(await setAloneInSlot(t.db, { conveningId, organizerId, proposalId: caucus.id, alone: true })).toEqual({ changed: false });
    const audit = await t.db.selectFrom("audit_log").select(["action", "subject_id", "actor_id"]).where("convening_id", "=", conveningId).where("action", "like", "agenda.alone%").execute();
    expect(audit).toEqual([{ action: "agenda.alone_set", subject_id: caucus.id, actor_id: organizerId }]);
    const refused = await setAloneInSlot(t.db, { conveningId, organizerId, proposalId: 999_999, alone: true }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AgendaError);
    expect((refused as AgendaError).status).toBe(404);

    const instance = await buildInstance(t.db, conveningId);
    const shape = (id: number) => {
      const s = instance.sessions.find((x) => x.id === id)!;
      return { alone: s.alone, plenary: s.plenary, published: s.published };
    };
    expect(shape(opening.id)).toEqual({ alone: false, plenary: true, published: { slot: made.slots[0], room: made.rooms[0] } });
    expect(shape(caucus.id)).toEqual({ alone: true, plenary: false, published: null });
    expect(shape(other.id)).toEqual({ alone: false, plenary: false, published: null });

    // The opening was published in the hall; a plenary belongs in the largest room, alone: moving to the big hall is the one move.
    const result = solve(instance, { seed: 1 });
    expect(result.moves).toEqual([{ session: opening.id, from: { slot: made.slots[0], room: made.rooms[0] }, to: { slot: made.slots[0], room: bigHall } }]);
    const slotOf = (id: number) => result.placements.find((p) => p.session === id)!.slot;
    expect(new Set([slotOf(opening.id), slotOf(caucus.id), slotOf(other.id)]).size).toBe(3);

    expect(await setAloneInSlot(t.db, { conveningId, organizerId, proposalId: caucus.id, alone: false })).toEqual({ changed: true });
    expect((await buildInstance(t.db, conveningId)).sessions.find((x) => x.id === caucus.id)!.alone).toBe(false);
  });
});
