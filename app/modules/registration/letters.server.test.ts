import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from "../../../tests/setup/databases";
import { convening, participant, person, type TestConvening, type TestPerson } from "../../../tests/factories";
import { readPdf } from "../../../tests/setup/pdf";
import { eraseExpiredAnswers, deleteAccount } from "../../features/account/erase.server";
import { personalData } from "../../features/account/export.server";
import { letterPdf } from "./letter-pdf.server";
import { LetterError } from "./letter-errors";
import { fillLetter, letterRequestSchema, letterTemplateSchema, unknownPlaceholders } from "./letter-schema";
import { decideLetter, getLetterTemplate, letterRequestCounts, letterRequestsForOrganizer, ownLetter, ownLetterRequest, requestLetter, saveLetterTemplate } from "./letters.server";

const NOW = new Date("2027-03-01T10:00:00Z");
const BODY = "To the Consulate,\n\nWe invite {fullName}, a citizen of {nationality}, passport {passportNumber}, born {birthDate}, to {conveningTitle} on {dates} at {venue}.\n\nWe cover their stay.";
const template = (over: Record<string, string> = {}) => letterTemplateSchema.parse({ letterhead: "Global Network of Sex Work Projects\nEdinburgh", signerName: "Ruth Morgan", signerRole: "Executive Director", body: BODY, ...over });
const details = (over: Record<string, string> = {}) => letterRequestSchema.parse({ passportName: "Amara Okonkwo Legal", nationality: "Nigerian", passportNumber: "A12345678", birthDate: "1990-04-25", ...over });

describe("letter placeholders", () => {
  it("names the unknown ones, each once, and fills the known ones", () => {
    expect(unknownPlaceholders("Dear {fullName}, {name} and {Name} and {name}")).toEqual(["{name}", "{Name}"]);
    expect(unknownPlaceholders(BODY)).toEqual([]);
    expect(fillLetter("{fullName} of {nationality}.", { fullName: "A", nationality: "B", passportNumber: "", birthDate: "", conveningTitle: "", dates: "", venue: "" })).toBe("A of B.");
  });
});

describe.each(DATABASE_KINDS)("visa invitation letters on %s", (kind) => {
  let t: TestDatabase;
  let c: TestConvening;
  let amara: TestPerson;
  let other: TestPerson;
  let outsider: TestPerson;

  beforeAll(async () => {
    t = await freshDatabase(kind);
    c = await convening(t.db, { title: "Lisbon Strategy Meeting", venue: "Casa do Alentejo, Lisbon", registration: { retentionOn: "2027-07-01" } });
    amara = await participant(t.db, c.id, { name: "Amara", answers: { displayName: "Amara O." } });
    other = await participant(t.db, c.id, { name: "Olek" });
    outsider = await person(t.db, { name: "Nobody" });
  });
  afterAll(async () => {
    await t.drop();
  });

  it("refuses a template with an unknown placeholder, naming it, and changes nothing", async () => {
    const error = await saveLetterTemplate(t.db, { conveningId: c.id, organizerId: c.organizerId, template: template({ body: "Dear {name}, see you at {venue} {place}." }), now: NOW }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LetterError);
    expect(error).toMatchObject({ code: "unknown_placeholder", status: 400, detail: "{name}, {place}" });
    expect((error as LetterError).fieldErrors()).toEqual({ body: ["badgesLetters.errors.unknownPlaceholder?names=%7Bname%7D%2C+%7Bplace%7D"] });
    expect(await getLetterTemplate(t.db, c.id)).toBeUndefined();
  });

  it("takes no request before the template exists, nor from someone not registered", async () => {
    await expect(requestLetter(t.db, { conveningId: c.id, personId: amara.id, details: details(), now: NOW })).rejects.toMatchObject({ code: "no_template" });
    await saveLetterTemplate(t.db, { conveningId: c.id, organizerId: c.organizerId, template: template(), now: NOW });
    await expect(requestLetter(t.db, { conveningId: c.id, personId: outsider.id, details: details(), now: NOW })).rejects.toMatchObject({ code: "not_registered", status: 409 });
    await expect(requestLetter(t.db, { conveningId: c.id, personId: amara.id, details: details({ birthDate: "2027-02-30" }), now: NOW })).rejects.toMatchObject({ code: "birth_date", status: 400 });
    await expect(requestLetter(t.db, { conveningId: c.id, personId: amara.id, details: details({ birthDate: "2030-01-01" }), now: NOW })).rejects.toMatchObject({ code: "birth_date" });
    expect(await letterRequestCounts(t.db, c.id)).toEqual({ requested: 0, approved: 0, declined: 0 });
  });

  it("gives no letter before approval, then only to its owner, filled in, signed, on the letterhead", async () => {
    const request = await requestLetter(t.db, { conveningId: c.id, personId: amara.id, details: details({ note: "Embassy in Abuja" }), now: NOW });
    expect(request.status).toBe("requested");
    expect(await ownLetter(t.db, c.id, amara.id, NOW)).toBeUndefined();
    await decideLetter(t.db, { conveningId: c.id, organizerId: c.organizerId, decision: { id: request.id, decision: "approve", message: "Safe travels" }, now: NOW });
    await expect(decideLetter(t.db, { conveningId: c.id, organizerId: c.organizerId, decision: { id: request.id, decision: "decline" }, now: NOW })).rejects.toMatchObject({ code: "already_decided", status: 409 });
    await expect(requestLetter(t.db, { conveningId: c.id, personId: amara.id, details: details(), now: NOW })).rejects.toMatchObject({ code: "already_approved" });
    // Somebody else, registered or not, has no letter to download.
    expect(await ownLetter(t.db, c.id, other.id, NOW)).toBeUndefined();
    expect(await ownLetter(t.db, c.id, outsider.id, NOW)).toBeUndefined();
    const letter = await ownLetter(t.db, c.id, amara.id, NOW);
    expect(letter).toEqual({
      letterhead: "Global Network of Sex Work Projects\nEdinburgh",
      date: "1 March 2027",
      signerName: "Ruth Morgan",
      signerRole: "Executive Director",
      title: "Lisbon Strategy Meeting",
      body: "To the Consulate,\n\nWe invite Amara Okonkwo Legal, a citizen of Nigerian, passport A12345678, born 25 April 1990, to Lisbon Strategy Meeting on 1 – 3 June 2027 at Casa do Alentejo, Lisbon.\n\nWe cover their stay.",
    });
    const [page, ...more] = await readPdf(await letterPdf(letter!));
    expect(more).toEqual([]);
    expect(page!.text).toContain("Global Network of Sex Work Projects");
    expect(page!.text).toContain("We invite Amara Okonkwo Legal, a citizen of Nigerian, passport A12345678, born 25 April 1990");
    expect(page!.text).not.toMatch(/\{[a-zA-Z]+\}/);
    const top = (s: string) => Math.max(...page!.items.filter((i) => i.str.includes(s)).map((i) => i.y));
    // Letterhead above the date above the body above the signature (PDF y grows upwards).
    expect(top("Global Network")).toBeGreaterThan(top("1 March 2027"));
    expect(top("1 March 2027")).toBeGreaterThan(top("To the Consulate"));
    expect(top("To the Consulate")).toBeGreaterThan(top("Executive Director"));
    expect(page!.items.filter((i) => i.str.includes("Ruth Morgan")).length).toBe(2);
  });

  it("mails each decision, audits it and each organizer's reading of passport details", async () => {
    const mails = await t.db.selectFrom("mail_outbox").select(["to_address", "template", "subject", "text_body"]).where("template", "like", "letter-%").execute();
    expect(mails).toEqual([{ to_address: amara.email, template: "letter-approved", subject: "Your invitation letter for Lisbon Strategy Meeting is ready", text_body: expect.stringContaining("Their message: Safe travels") }]);
    expect(mails[0]!.text_body).toContain("Hello Amara O.,");
    expect(mails[0]!.text_body).not.toContain("A12345678");
    const second = await requestLetter(t.db, { conveningId: c.id, personId: other.id, details: details({ passportName: "Olek Passport", passportNumber: "PL998877" }), now: NOW });
    const rows = await letterRequestsForOrganizer(t.db, c.id, c.organizerId);
    expect(rows.map((r) => [r.display_name, r.status, r.passport_number])).toEqual([
      ["Olek", "requested", "PL998877"],
      ["Amara O.", "approved", "A12345678"],
    ]);
    await decideLetter(t.db, { conveningId: c.id, organizerId: c.organizerId, decision: { id: second.id, decision: "decline", message: "Please send the passport page" }, now: NOW });
    const audit = await t.db.selectFrom("audit_log").select(["action", "actor_id", "subject_type", "subject_id", "details"]).where("action", "like", "letter.%").orderBy("id").execute();
    expect(audit.map((a) => a.action)).toEqual(["letter.template_saved", "letter.requested", "letter.approved", "letter.requested", "letter.details_viewed", "letter.declined"]);
    const viewed = audit.find((a) => a.action === "letter.details_viewed")!;
    expect(viewed.actor_id).toBe(c.organizerId);
    expect(JSON.parse(viewed.details)).toEqual({ requests: [second.id, (await ownLetterRequest(t.db, c.id, amara.id))!.id], fields: ["passport_name", "nationality", "passport_number", "birth_date", "note"] });
    // The log names fields, never the passport values.
    expect(audit.map((a) => a.details).join(" ")).not.toContain("A12345678");
    expect(await letterRequestCounts(t.db, c.id)).toEqual({ requested: 0, approved: 1, declined: 1 });
    // Declined: asked again with corrected details, it waits again.
    const again = await requestLetter(t.db, { conveningId: c.id, personId: other.id, details: details({ passportName: "Olek Passport", passportNumber: "PL111" }), now: NOW });
    expect([again.id, again.status, again.organizer_message]).toEqual([second.id, "requested", null]);
  });

  it("puts the requests in the person's data download", async () => {
    const data = await personalData(t.db, amara.id);
    expect(data!.letterRequests).toEqual([
      expect.objectContaining({ convening: "Lisbon Strategy Meeting", status: "approved", passport_name: "Amara Okonkwo Legal", nationality: "Nigerian", passport_number: "A12345678", birth_date: "1990-04-25", note: "Embassy in Abuja", organizer_message: "Safe travels", erased_at: null }),
    ]);
  });

  it("erases passport details on the retention date, after which no letter is made and none is taken", async () => {
    expect(await eraseExpiredAnswers(t.db, new Date("2027-07-01T12:00:00Z"))).toEqual([]);
    expect(await ownLetter(t.db, c.id, amara.id)).toBeDefined();
    expect(await eraseExpiredAnswers(t.db, new Date("2027-07-02T12:00:00Z"))).toEqual([c.id]);
    const rows = await t.db.selectFrom("letter_requests").select(["passport_name", "nationality", "passport_number", "birth_date", "note", "erased_at"]).where("convening_id", "=", c.id).execute();
    expect(rows).toEqual([
      { passport_name: null, nationality: null, passport_number: null, birth_date: null, note: null, erased_at: "2027-07-02T12:00:00.000Z" },
      { passport_name: null, nationality: null, passport_number: null, birth_date: null, note: null, erased_at: "2027-07-02T12:00:00.000Z" },
    ]);
    expect(await ownLetter(t.db, c.id, amara.id)).toBeUndefined();
    await expect(requestLetter(t.db, { conveningId: c.id, personId: other.id, details: details(), now: new Date("2027-07-03T12:00:00Z") })).rejects.toMatchObject({ code: "erased" });
    const erased = await t.db.selectFrom("audit_log").select("details").where("action", "=", "registrations.sensitive_erased").where("convening_id", "=", c.id).executeTakeFirstOrThrow();
    expect(JSON.parse(erased.details)).toEqual({ registrations: 2, answers: 0, letterRequests: 2, supportRequests: 0 });
  });

  it("deletes a person's requests with their account", async () => {
    await deleteAccount(t.db, other.id);
    const left = await t.db.selectFrom("letter_requests").select("id").where("convening_id", "=", c.id).execute();
    expect(left.length).toBe(1);
  });
});
