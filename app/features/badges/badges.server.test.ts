import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from "../../../tests/setup/databases";
import { convening, participant, type TestConvening, type TestPerson } from "../../../tests/factories";
import { readPdf } from "../../../tests/setup/pdf";
import { badgeSchema } from "../../modules/registration/badge-schema";
import { BadgeError } from "./errors";
import { checkBadgeChoice, exportBadges } from "./badges.server";

const choice = (over: Record<string, string> = {}) => badgeSchema.parse({ paper: "A4", ...over });

describe.each(DATABASE_KINDS)("name badges on %s", (kind) => {
  let t: TestDatabase;
  let c: TestConvening;
  const p: Record<string, TestPerson> = {};

  beforeAll(async () => {
    t = await freshDatabase(kind);
    c = await convening(t.db, { title: "Lisbon Strategy Meeting" });
    const hiv = c.track("HIV/AIDS");
    const sexWork = c.track("Sex work");
    // The chosen name differs from the full (legal) one; the organization is shown only with consent.
    p.Ana = await participant(t.db, c.id, { name: "Ana", fullName: "Ana Maria Legalname", answers: { displayName: "Ana M.", pronouns: "she/her", organization: "Sex Workers Alliance", consentDirectory: true, tracks: [sexWork] } });
    p.Boris = await participant(t.db, c.id, { name: "Boris", fullName: "Boris Passportov", answers: { displayName: "Борис Иванов", pronouns: "он/его", organization: "Hidden Collective", consentDirectory: false, tracks: [hiv] } });
    p.Eve = await participant(t.db, c.id, { name: "Eve", fullName: "Eve Samename", answers: { displayName: "Eve Samename", organization: "Open Network", consentDirectory: true, tracks: [sexWork] } });
    for (const n of ["Fay", "Gus", "Hal", "Ida", "Jo", "Kim"]) p[n] = await participant(t.db, c.id, { name: n, fullName: `${n} Secretlegal`, answers: { displayName: `${n} Badge`, tracks: [sexWork] } });
    p.Remote = await participant(t.db, c.id, { name: "Remo", fullName: "Remo Legal", answers: { displayName: "Remo Online", attendance: "remote", tracks: [sexWork] } });
    p.Gone = await participant(t.db, c.id, { name: "Cass", status: "cancelled", answers: { displayName: "Cass Cancelled", tracks: [sexWork] } });
  });
  afterAll(async () => {
    await t.drop();
  });

  it("prints confirmed in-person participants by chosen name, pronouns and consented organization, eight to an A4 page", async () => {
    const { pdf, count } = (await exportBadges(t.db, { conveningId: c.id, conveningTitle: "Lisbon Strategy Meeting", organizerId: c.organizerId, choice: choice() }))!;
    expect(count).toBe(9);
    const pages = await readPdf(pdf);
    expect(pages.map((pg) => [Math.round(pg.width), Math.round(pg.height)])).toEqual([
      [595, 842],
      [595, 842],
    ]);
    const all = pages.map((pg) => pg.text).join(" ");
    // Sorted by name: the eight first names on page one, the ninth on page two.
    for (const name of ["Ana M.", "Eve Samename", "Fay Badge", "Gus Badge", "Hal Badge", "Ida Badge", "Jo Badge", "Kim Badge"]) expect(pages[0]!.text).toContain(name);
    expect(pages[1]!.text).toContain("Борис Иванов");
    expect(pages[1]!.text).toContain("он/его");
    expect(pages[0]!.text.split("Lisbon Strategy Meeting").length - 1).toBe(8);
    expect(pages[1]!.text.split("Lisbon Strategy Meeting").length - 1).toBe(1);
    expect(all).toContain("she/her");
    expect(all).toContain("Sex Workers Alliance");
    expect(all).toContain("Open Network");
    // Never a full name, an organization without consent, an address, or someone not chosen.
    for (const hidden of ["Legalname", "Passportov", "Secretlegal", "Hidden Collective", "@", "example.org", "Remo", "Cass"]) expect(all).not.toContain(hidden);
  });

  it("lays Letter paper out at its own size, and filters by attendance, status and track", async () => {
    const letter = await readPdf((await exportBadges(t.db, { conveningId: c.id, conveningTitle: "Lisbon Strategy Meeting", organizerId: c.organizerId, choice: choice({ paper: "LETTER", track: String(c.track("HIV/AIDS")) }) }))!.pdf);
    expect(letter.map((pg) => [pg.width, pg.height])).toEqual([[612, 792]]);
    expect(letter[0]!.text).toContain("Борис Иванов");
    expect(letter[0]!.text).not.toContain("Ana M.");
    const remote = await readPdf((await exportBadges(t.db, { conveningId: c.id, conveningTitle: "Lisbon Strategy Meeting", organizerId: c.organizerId, choice: choice({ attendance: "remote" }) }))!.pdf);
    expect(remote[0]!.text).toContain("Remo Online");
    expect(remote[0]!.text).not.toContain("Remo Legal");
    const cancelled = await exportBadges(t.db, { conveningId: c.id, conveningTitle: "Lisbon Strategy Meeting", organizerId: c.organizerId, choice: choice({ status: "cancelled" }) });
    expect(cancelled!.count).toBe(1);
  });

  it("writes every export to the audit log, and refuses an empty choice or another convening's track without writing", async () => {
    const before = await t.db.selectFrom("audit_log").select(["actor_id", "details"]).where("action", "=", "badges.exported").where("convening_id", "=", c.id).execute();
    expect(before.length).toBe(4);
    expect(JSON.parse(before[0]!.details)).toEqual({ badges: 9, paper: "A4", status: "confirmed", attendance: "in_person", track: null });
    expect(before.every((r) => r.actor_id === c.organizerId)).toBe(true);
    const other = await convening(t.db, { title: "Elsewhere" });
    await expect(checkBadgeChoice(t.db, c.id, choice({ track: String(other.trackIds[0]) }))).rejects.toMatchObject({ code: "unknown_track", status: 400 });
    await expect(checkBadgeChoice(t.db, c.id, choice({ status: "declined" }))).rejects.toBeInstanceOf(BadgeError);
    await expect(checkBadgeChoice(t.db, c.id, choice({ status: "declined" }))).rejects.toMatchObject({ code: "nobody", status: 409 });
    await expect(checkBadgeChoice(t.db, c.id, choice())).resolves.toBeUndefined();
    expect(await exportBadges(t.db, { conveningId: c.id, conveningTitle: "x", organizerId: c.organizerId, choice: choice({ track: String(other.trackIds[0]) }) })).toBeNull();
    expect(await exportBadges(t.db, { conveningId: c.id, conveningTitle: "x", organizerId: c.organizerId, choice: choice({ status: "declined" }) })).toBeNull();
    const after = await t.db.selectFrom("audit_log").select("id").where("action", "=", "badges.exported").where("convening_id", "=", c.id).execute();
    expect(after.length).toBe(4);
  });

  it("refuses a paper or status it does not know rather than choosing a wider group", () => {
    expect(badgeSchema.safeParse({ paper: "A3" }).success).toBe(false);
    expect(badgeSchema.safeParse({ paper: "A4", status: "everyone" }).success).toBe(false);
    expect(badgeSchema.parse({ paper: "LETTER" })).toEqual({ paper: "LETTER", status: "confirmed", attendance: "in_person" });
  });
});
