import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from "../../../tests/setup/databases";
import { agenda, convening, person, proposal, registrationAnswers, unique } from "../../../tests/factories";
import { publishAgenda, publishPreview } from "../../modules/agenda/publish.server";
import { decideRegistration } from "../../modules/registration/decisions.server";
import { cancelRegistration, submitRegistration } from "../../modules/registration/registering.server";
import { withSessionsConfirmed } from "./sessions.server";

describe.each(DATABASE_KINDS)("a registration confirms its sessions in its own transaction, on %s", (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshDatabase(kind);
  });
  afterAll(async () => {
    await t.drop();
  });

  it("confirms an accepted session the moment its facilitator's registration is approved, and says why it waits until then", async () => {
    const made = await convening(t.db, { slug: `r-${kind}-${unique()}`, registration: { approvalRequired: true }, cfp: {} });
    const zoe = await person(t.db, { name: "Zoe", fullName: "Zoe Amankwah-Lind" });
    const session = await proposal(t.db, { conveningId: made.id, proposerId: zoe.id, status: "accepted", now: new Date("2027-02-01T12:00:00Z"), answers: { title: "Harm reduction at borders", primaryTrack: made.trackIds[0]! } });
    await agenda(t.db, { conveningId: made.id, rooms: [{ name: "Hall" }], slots: [{ date: "2027-06-01", time: "10:00" }], placements: [{ proposalId: session.id, slot: 0, room: 0 }] });
    const status = async () => (await t.db.selectFrom("proposals").select("status").where("id", "=", session.id).executeTakeFirstOrThrow()).status;
    const why = async () => (await publishPreview(t.db, made.id)).missing.map((m) => [m.name, m.title, m.registration]);

    expect(await why()).toEqual([["Zoe Amankwah-Lind", "Harm reduction at borders", null]]);
    const registration = await withSessionsConfirmed(t.db, made.id, (trx) => submitRegistration(trx, { conveningId: made.id, personId: zoe.id, answers: registrationAnswers({ displayName: "Zoe", tracks: [made.trackIds[0]!] }) }));
    expect(registration.status).toBe("pending");
    expect(await status()).toBe("accepted");
    expect(await why()).toEqual([["Zoe Amankwah-Lind", "Harm reduction at borders", "pending"]]);
    await expect(publishAgenda(t.db, { conveningId: made.id, organizerId: made.organizerId, note: "" })).rejects.toMatchObject({ code: "facilitators_unregistered", status: 409 });

    // Approved: confirmed in the same transaction, with no job run; publishing goes through.
    await withSessionsConfirmed(t.db, made.id, (trx) => decideRegistration(trx, { conveningId: made.id, registrationId: registration.id, organizerId: made.organizerId, decision: "approve" }));
    expect(await status()).toBe("confirmed");
    expect(await why()).toEqual([]);
    expect((await publishAgenda(t.db, { conveningId: made.id, organizerId: made.organizerId, note: "" })).number).toBe(1);

    // Cancelled: the session falls back at once.
    await withSessionsConfirmed(t.db, made.id, (trx) => cancelRegistration(trx, { conveningId: made.id, personId: zoe.id }));
    expect(await status()).toBe("accepted");
    expect(await why()).toEqual([["Zoe Amankwah-Lind", "Harm reduction at borders", "cancelled"]]);
  });
});
