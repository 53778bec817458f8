// The rush when registration opens: 1,000 people submit at the same moment for 600 in-person
// places, over HTTP against one real server (SQLite, and PostgreSQL when TEST_POSTGRES_URL is
// set). Every submission is answered without an error; exactly 600 are confirmed and 400 wait,
// in the order the server took them, with waitlist places 1 to 400 and no gaps.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addSiteOrganizer } from "../../app/modules/auth/roles.server";
import { createConvening, listTracks } from "../../app/modules/convenings/convenings.server";
import { updateRegistrationSettings } from "../../app/modules/registration/settings.server";
import { openDatabase, type DB } from "../../app/platform/db.server";
import { startApp, type RunningApp } from "../setup/app-server";
import { DATABASE_KINDS } from "../setup/databases";
import { makePerson } from "../setup/flows";
import { httpClient, inParallel, type HttpClient } from "../setup/http";

const PEOPLE = 1000;
const CAPACITY = 600;
const HOUR = 60 * 60 * 1000;

describe.each(DATABASE_KINDS)("1,000 simultaneous registrations for 600 places, over HTTP on %s", (kind) => {
  let app: RunningApp;
  let db: DB;
  let conveningId: number;
  let track: number;
  const path = "/convenings/rush-hour/register";
  const people: Array<{ id: number; client: HttpClient }> = [];

  beforeAll(async () => {
    // No background jobs: the mail waits in the outbox, where it is checked.
    app = await startApp({ kind, env: { JOBS: "off" } });
    db = openDatabase(app.databaseUrl, { poolSize: 5 });
    const organizer = (await addSiteOrganizer(db, "organizer@example.org")).personId;
    conveningId = await createConvening(db, { slug: "rush-hour", title: "Rush Hour Meeting", startsOn: "2031-06-02", endsOn: "2031-06-04", timeZone: "Europe/Lisbon", status: "published" });
    const now = Date.now();
    await updateRegistrationSettings(db, { conveningId, organizerId: organizer, opensAt: new Date(now - HOUR).toISOString(), closesAt: new Date(now + 24 * HOUR).toISOString(), capacity: CAPACITY, approvalRequired: false });
    track = (await listTracks(db, conveningId))[0]!.id;
    // People with a completed profile and a session each, made ahead of the rush.
    const ids = Array.from({ length: PEOPLE }, (_, i) => i + 1);
    await inParallel(ids, 10, async (i) => {
      const id = await makePerson(db, `rush${i}@example.org`, `Rush ${i}`);
      people.push({ id, client: await httpClient(db, id) });
    });
  }, 120_000);

  afterAll(async () => {
    await db?.destroy();
    await app?.stop();
    expect(app.stderr()).toBe("");
  });

  it("confirms exactly 600, waitlists 400 in the order the server took them, and answers every one", async () => {
    const started = Date.now();
    const responses = await Promise.all(
      people.map(async ({ id, client }) => {
        const response = await fetch(`${app.url}${path}`, {
          method: "POST",
          headers: { Cookie: client.cookie, "Content-Type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams([["intent", "register"], ["displayName", `Rush ${id}`], ["attendance", "in_person"], ["tracks", String(track)], ["csrf", client.token]]).toString(),
          redirect: "manual",
        });
        await response.arrayBuffer();
        return { status: response.status, location: response.headers.get("location") };
      }),
    );
    console.log(`${kind}: ${PEOPLE} registrations answered in ${Date.now() - started} ms`);
    expect(responses.filter((r) => r.status !== 302 || r.location !== `${path}?done=submitted`)).toEqual([]);

    // Registration ids follow the order in which submissions took the lock: the first 600 have the places.
    const rows = await db.selectFrom("registrations").select(["id", "person_id", "status", "queued_at"]).where("convening_id", "=", conveningId).orderBy("id").execute();
    expect(rows).toHaveLength(PEOPLE);
    expect(new Set(rows.map((r) => r.person_id))).toEqual(new Set(people.map((p) => p.id)));
    expect(rows.map((r) => r.status)).toEqual([...Array(CAPACITY).fill("confirmed"), ...Array(PEOPLE - CAPACITY).fill("waitlisted")]);
    // Arrival times were read under the lock, so they rise with the ids: queue order is arrival order.
    const queued = rows.map((r) => r.queued_at);
    expect(queued).toEqual([...queued].sort());
    const byQueue = await db.selectFrom("registrations").select("id").where("convening_id", "=", conveningId).where("status", "=", "waitlisted").orderBy("queued_at").orderBy("id").execute();
    const waitlist = rows.slice(CAPACITY);
    expect(byQueue.map((r) => r.id)).toEqual(waitlist.map((r) => r.id));

    // Each person got one mail; each waitlisted one their own place: 1 to 400, no gaps, in queue order.
    const mails = await db.selectFrom("mail_outbox").select(["person_id", "template", "text_body"]).where("convening_id", "=", conveningId).execute();
    expect(mails).toHaveLength(PEOPLE);
    expect(new Set(mails.map((m) => m.person_id)).size).toBe(PEOPLE);
    expect(mails.filter((m) => m.template === "registration-confirmed").map((m) => m.person_id).sort()).toEqual(rows.slice(0, CAPACITY).map((r) => r.person_id).sort());
    const place = new Map(mails.filter((m) => m.template === "registration-waitlisted").map((m) => [m.person_id, Number(/at number (\d+)\./.exec(m.text_body)?.[1])]));
    expect(waitlist.map((r) => place.get(r.person_id))).toEqual(Array.from({ length: PEOPLE - CAPACITY }, (_, i) => i + 1));

    // The people see the same places on their own page.
    for (const index of [0, 199, 399]) {
      const person = people.find((p) => p.id === waitlist[index]!.person_id)!;
      const page = await fetch(`${app.url}${path}`, { headers: { Cookie: person.client.cookie } });
      expect(await page.text()).toContain(`You are number ${index + 1} on the waitlist`);
    }
  }, 120_000);
});
