// The leak test: every person in the demo gets a distinctive full name and address; people who are
// not listed, a facilitator who chose a label and a deleted account get distinctive public names
// too. Then every surface that someone other than the person and the organizers can see is
// rendered by the real server (pages, directory, agenda, session pages, feeds, schedule files,
// the shareable agenda CSV, mail to other people, the server's log) and none of them may appear.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { simpleParser, type AddressObject } from "mailparser";
import { describe, expect, it } from "vitest";
import { createSession } from "../../app/modules/auth/session.server";
import { feedToken } from "../../app/modules/calendar/feeds.server";
import { deliverDueMail } from "../../app/platform/mail/sender.server";
import { fileTransport } from "../../app/platform/mail/transport.server";
import { deleteAccount } from "../../app/features/account/erase.server";
import { setFacilitationLabel } from "../../app/modules/names/names.server";
import { createProposal } from "../../app/modules/proposals/authoring.server";
import { serverJobsDone, useDemoApp } from "../setup/demo";

const LABEL = "a facilitator from the sex worker caucus";

describe("no name or address leaks", () => {
  const demo = useDemoApp({ env: { LOG_REQUESTS: "on" } });

  it("shows no full name, no address, and no name of anyone unlisted, labelled or deleted, on any surface", { timeout: 120_000 }, async () => {
    const db = demo.db;
    const convening = await db.selectFrom("convenings").select(["id", "slug"]).where("slug", "=", demo.slug).executeTakeFirstOrThrow();
    const people = await db.selectFrom("people").select(["id", "email"]).orderBy("id").execute();
    const organizer = people.find((p) => p.email === "organizer@example.org")!.id;
    for (const p of people) {
      await db.updateTable("people").set({ full_name: `Fn${p.id}Legalzq`, email: `mail${p.id}zq@secret.example` }).where("id", "=", p.id).execute();
    }
    const facilitating = new Set(
      (await db.selectFrom("facilitators").innerJoin("proposals", "proposals.id", "facilitators.proposal_id").select("facilitators.person_id").where("proposals.convening_id", "=", convening.id).where("facilitators.status", "=", "accepted").execute()).map((f) => f.person_id!),
    );
    const registrations = await db.selectFrom("registrations").select(["person_id", "consent_directory", "status"]).where("convening_id", "=", convening.id).orderBy("person_id").execute();
    const reviewers = new Set((await db.selectFrom("roles").select("person_id").where("role", "=", "reviewer").execute()).map((r) => r.person_id));
    // Unlisted participants get names that may be seen only by themselves and the organizers.
    const unlisted = registrations.filter((r) => r.consent_directory === 0 && !facilitating.has(r.person_id) && r.person_id !== organizer);
    expect(unlisted.length).toBeGreaterThanOrEqual(5);
    for (const r of unlisted) {
      await db.updateTable("people").set({ public_name: `Hidden${r.person_id}zq` }).where("id", "=", r.person_id).execute();
      await db.updateTable("registrations").set({ display_name: `Hidden${r.person_id}zq` }).where("person_id", "=", r.person_id).execute();
    }
    // A facilitator who chose to be anonymous at this convening, and one who deleted their account.
    const placed = new Set(
      (await db.selectFrom("facilitators").innerJoin("placements", "placements.proposal_id", "facilitators.proposal_id").select("facilitators.person_id").where("facilitators.status", "=", "accepted").execute()).map((f) => f.person_id!),
    );
    const [masked, gone] = [...placed].filter((id) => id !== organizer && !reviewers.has(id)).slice(0, 2) as [number, number];
    await db.updateTable("people").set({ public_name: `Masked${masked}zq` }).where("id", "=", masked).execute();
    await db.updateTable("registrations").set({ display_name: `Masked${masked}zq`, consent_directory: 0 }).where("person_id", "=", masked).execute();
    await retryBusy(() => setFacilitationLabel(db, { conveningId: convening.id, personId: masked, label: LABEL }));
    await db.updateTable("people").set({ public_name: `Gone${gone}zq` }).where("id", "=", gone).execute();
    await retryBusy(() => deleteAccount(db, gone));

    // Mail to other people: the masked facilitator invites a co-facilitator; the agenda changes.
    const track = (await db.selectFrom("tracks").select("id").where("convening_id", "=", convening.id).orderBy("position").executeTakeFirstOrThrow()).id;
    // (On an open call: the demo's call may have closed.)
    await db.updateTable("convenings").set({ cfp_opens_at: "2000-01-01T00:00:00.000Z", cfp_closes_at: "2999-01-01T00:00:00.000Z" }).where("id", "=", convening.id).execute();
    await retryBusy(() =>
      createProposal(db, {
        conveningId: convening.id,
        proposerId: masked,
        submit: true,
        answers: { title: "Peer safety", abstract: "Sharing what works", format: "workshop", length: 60, primaryTrack: track, linkedTracks: [], languages: [], needs: [], coFacilitators: ["co-facilitator@elsewhere.example"] },
      }),
    );

    const participant = registrations.find((r) => r.consent_directory === 1 && r.status === "confirmed" && !facilitating.has(r.person_id) && !reviewers.has(r.person_id) && r.person_id !== organizer)!.person_id;
    const reviewer = [...reviewers][0]!;
    const cookieOf = async (id: number) => (await createSession(db, id)).split(";")[0]!;
    const viewers = { anonymous: null, participant: await cookieOf(participant), reviewer: await cookieOf(reviewer), organizer: await cookieOf(organizer) } as const;

    // As the organizers publish a change moving the masked facilitator's session, mail goes to those concerned.
    const maskedSession = await db
      .selectFrom("facilitators")
      .innerJoin("placements", "placements.proposal_id", "facilitators.proposal_id")
      .select(["placements.proposal_id", "placements.slot_id"])
      .where("facilitators.person_id", "=", masked)
      .orderBy("placements.proposal_id")
      .executeTakeFirstOrThrow();
    const freeRoom = await db.selectFrom("rooms").select("id").where("convening_id", "=", convening.id).where((eb) => eb.not(eb.exists(eb.selectFrom("placements").select("placements.id").whereRef("placements.room_id", "=", "rooms.id").where("placements.slot_id", "=", maskedSession.slot_id)))).executeTakeFirst();
    const csrf = await formToken(demo.app.url, viewers.organizer);
    if (freeRoom) {
      await post(demo.app.url, `/organize/${convening.slug}/agenda`, csrf, { intent: "place", proposal: String(maskedSession.proposal_id), slot: String(maskedSession.slot_id), room: String(freeRoom.id) });
    }
    const published = await post(demo.app.url, `/organize/${convening.slug}/agenda`, csrf, { intent: "publish", note: "Room change" });
    expect(published).toBeLessThan(400);

    const sessions = (await db.selectFrom("agenda_entries").innerJoin("agenda_versions", "agenda_versions.id", "agenda_entries.version_id").select("agenda_entries.proposal_id").distinct().where("agenda_versions.convening_id", "=", convening.id).where("agenda_entries.proposal_id", "is not", null).execute()).map((s) => s.proposal_id!);
    const trackRows = await db.selectFrom("tracks").select(["id", "slug"]).where("convening_id", "=", convening.id).orderBy("position").execute();
    const tracks = trackRows.map((t) => t.slug);
    const trackIds = trackRows.map((t) => t.id);
    const agendaFeed = await feedToken(db, participant, "agenda");
    const actionsFeed = await feedToken(db, participant, "actions");
    const base = `/convenings/${convening.slug}`;
    const publicSurfaces = [
      "/",
      base,
      `${base}/agenda`,
      `${base}/agenda?track=${trackIds[0]}`,
      `${base}/sessions`,
      ...sessions.map((id) => `${base}/sessions/${id}`),
      `${base}/agenda.ics`,
      ...tracks.map((slug) => `${base}/tracks/${slug}/agenda.ics`),
      ...sessions.map((id) => `${base}/sessions/${id}/calendar.ics`),
      `${base}/schedule.xml`,
      `${base}/schedule.json`,
    ];
    const participantSurfaces = [
      ...publicSurfaces,
      `${base}/participants`,
      `${base}/my-agenda`,
      `${base}/proposals`,
      "/actions",
      `/feeds/${agendaFeed}/my-agenda.ics`,
      `/feeds/${actionsFeed}/actions.ics`,
    ];
    const reviewerSurfaces = [`/organize/${convening.slug}/proposals`, ...(await db.selectFrom("reviews").select("proposal_id").where("reviewer_id", "=", reviewer).execute()).map((r) => `/organize/${convening.slug}/proposals/${r.proposal_id}`)];
    expect(reviewerSurfaces.length).toBeGreaterThan(2);

    // What no one but the person and the organizers may see: the viewer's own details are allowed to them.
    // Addresses may show only in the directory, for people who agreed to share them there.
    const sharing = (await db.selectFrom("registrations").select("person_id").where("convening_id", "=", convening.id).where("consent_directory", "=", 1).where("consent_contact", "=", 1).where("status", "in", ["pending", "confirmed", "waitlisted"]).execute()).map((r) => r.person_id);
    expect(sharing.length).toBeGreaterThan(0);
    const secrets = (viewer: number | null, allowedAddresses: number[] = []) =>
      new RegExp(`(?:Fn|Hidden|Masked|Gone)(?!${viewer ?? 0}(?:Legal)?zq)\\d+(?:Legal)?zq|mail(?!(?:${[viewer ?? 0, ...allowedAddresses].join("|")})zq)\\d+zq@secret\\.example|co-facilitator@elsewhere`);
    const seen: Array<{ viewer: string; path: string; status: number; leak: string | null }> = [];
    const visit = async (viewer: keyof typeof viewers, id: number | null, paths: string[]) => {
      for (const path of paths) {
        const response = await fetch(`${demo.app.url}${path}`, { headers: viewers[viewer] ? { cookie: viewers[viewer]! } : {}, redirect: "manual" });
        const body = await response.text();
        const directory = path === `${base}/participants`;
        if (directory) expect(body).toContain(`mail${sharing[0]}zq@secret.example`);
        seen.push({ viewer, path, status: response.status, leak: secrets(id, directory ? sharing : []).exec(body)?.[0] ?? null });
        if (path === `${base}/agenda` || path === `${base}/agenda.ics`) {
          // Positive checks: the label and "a facilitator" stand in for names.
          expect(body.replace(/\r\n /g, ""), path).toContain(LABEL);
          expect(body.replace(/\r\n /g, ""), path).toContain("a facilitator");
        }
      }
    };
    await visit("anonymous", null, publicSurfaces);
    await visit("participant", participant, participantSurfaces);
    await visit("reviewer", reviewer, reviewerSurfaces);
    // The agenda CSV is the export organizers share: it must be as clean as the public agenda.
    await visit("organizer", null, [`/organize/${convening.slug}/agenda.csv`]);

    expect(seen.filter((s) => s.status !== 200).map((s) => `${s.viewer} ${s.path} ${s.status}`)).toEqual([]);
    expect(seen.filter((s) => s.leak !== null)).toEqual([]);
    expect(seen.length).toBeGreaterThan(100);

    // Mail to other people: nobody else's full name, address or hidden name in any body or subject.
    const mail = await db.selectFrom("mail_outbox").select(["person_id", "to_address", "template", "subject", "text_body", "html_body", "ics"]).execute();
    expect(mail.some((m) => m.template === "facilitator-invitation")).toBe(true);
    expect(mail.some((m) => m.template === "agenda-changed")).toBe(true);
    const leaks = mail
      .map((m) => ({ template: m.template, leak: secrets(m.person_id).exec(`${m.subject}\n${m.text_body}\n${m.html_body}\n${m.ics ?? ""}`)?.[0] ?? null }))
      .filter((m) => m.leak !== null);
    expect(leaks).toEqual([]);

    // And the mail as actually sent (the demo writes each message to a file): parsed, per recipient.
    const folder = path.join(demo.app.dataDir, "mail");
    const transport = fileTransport(folder);
    await serverJobsDone(db);
    await retryBusy(() => deliverDueMail(db, transport, { from: "Convene <convene@example.org>", batch: 10_000 }));
    expect(await db.selectFrom("mail_outbox").select("id").where("status", "!=", "sent").execute()).toEqual([]);
    const sent = await Promise.all((await readdir(folder)).filter((f) => f.endsWith(".eml")).map(async (f) => simpleParser(await readFile(path.join(folder, f)))));
    const invitation = sent.find((m) => addressesOf(m.to).includes("co-facilitator@elsewhere.example"));
    expect(invitation?.text).toContain(LABEL);
    const sentLeaks = sent
      .map((m) => {
        const to = /^mail(\d+)zq@/.exec(addressesOf(m.to)[0] ?? "");
        const recipient = to ? Number(to[1]) : null;
        const text = `${m.subject ?? ""}\n${m.text ?? ""}\n${typeof m.html === "string" ? m.html : ""}\n${m.attachments.map((a) => a.content.toString("utf8")).join("\n")}`;
        return { subject: m.subject, leak: secrets(recipient).exec(recipient === null ? text.replaceAll("co-facilitator@elsewhere.example", "") : text)?.[0] ?? null };
      })
      .filter((m) => m.leak !== null);
    expect(sent.length).toBeGreaterThan(20);
    expect(sentLeaks).toEqual([]);

    // The server's log: request lines only, never a name or an address.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const log = demo.app.stdout() + demo.app.stderr();
    expect(log).toContain(`GET ${base}/agenda 200`);
    expect(/zq|secret\.example|elsewhere\.example/.exec(log)).toBeNull();
  });
});

async function formToken(url: string, cookie: string): Promise<{ cookie: string; token: string }> {
  const response = await fetch(`${url}/account`, { headers: { cookie } });
  const html = await response.text();
  const token = /name="csrf" value="([^"]+)"/.exec(html)![1]!;
  const csrfCookie = (response.headers.getSetCookie().find((c) => c.startsWith("convene_csrf=")) ?? "").split(";")[0]!;
  return { cookie: `${cookie}; ${csrfCookie}`, token };
}

async function post(url: string, path: string, csrf: { cookie: string; token: string }, fields: Record<string, string>): Promise<number> {
  const response = await fetch(`${url}${path}`, {
    method: "POST",
    headers: { cookie: csrf.cookie, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrf: csrf.token, ...fields }).toString(),
    redirect: "manual",
  });
  return response.status;
}

/** The test writes to the server's SQLite file while the server may be writing too: a transaction that loses the race is retried. */
async function retryBusy<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt > 50 || !/database is locked/.test(String(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function addressesOf(to: AddressObject | AddressObject[] | undefined): string[] {
  return (Array.isArray(to) ? to : to ? [to] : []).flatMap((a) => a.value.map((v) => v.address ?? ""));
}
