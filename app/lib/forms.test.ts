import { describe, expect, it } from "vitest";
import { conveningSchema } from "../modules/convenings/schema";
import { profileSchema } from "../modules/people/schema";
import { draftSchema } from "../modules/proposals/schema";
import { parseSubmission, readMessage } from "./forms";

function form(entries: Array<[string, string]>): FormData {
  const f = new FormData();
  for (const [k, v] of entries) f.append(k, v);
  return f;
}

describe("parsing a submitted form", () => {
  it("says each field's error once, even when two of its checks fail alike", () => {
    const result = parseSubmission(conveningSchema, form([["title", "T"], ["slug", "t-2028"], ["startsOn", ""], ["endsOn", "2028-02-30"], ["timeZone", "Europe/Lisbon"]]));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    // Each of the two dates names itself, so the page does not say "Enter a date." twice.
    expect(result.errors.startsOn).toEqual(["forms14.dates.startsOn"]);
    expect(result.errors.endsOn).toEqual(["forms14.dates.endsOn"]);
  });

  it("names the line of each wrong co-facilitator address, with the address", () => {
    const result = parseSubmission(draftSchema, form([["title", "T"], ["coFacilitators", "ok@example.org\nana@\n\nbo@example.net, nope"]]));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.coFacilitators).toEqual(["forms14.emailLine?line=2&entry=ana%40", "forms14.emailLine?line=4&entry=nope"]);
    expect(readMessage(result.errors.coFacilitators![0]!)).toEqual({ key: "forms14.emailLine", values: { line: "2", entry: "ana@" } });
    const fine = parseSubmission(draftSchema, form([["title", "T"], ["coFacilitators", "Ok@Example.org\nbo@example.net, cy@example.net"]]));
    expect(fine.ok && fine.value.coFacilitators).toEqual(["ok@example.org", "bo@example.net", "cy@example.net"]);
  });

  it("trims, drops empty optional fields and splits lists", () => {
    const result = parseSubmission(
      profileSchema,
      form([
        ["csrf", "token"],
        ["publicName", "  River "],
        ["fullName", ""],
        ["constituency", "sex_worker_or_community_member"],
        ["languages", "English,  Español ,"],
      ]),
    );
    expect(result).toEqual({
      ok: true,
      value: { publicName: "River", fullName: undefined, pronouns: undefined, organization: undefined, constituency: "sex_worker_or_community_member", country: undefined, languages: ["English", "Español"] },
    });
  });

  it("returns translation keys per field and the values as sent, without the anti-forgery token", () => {
    const result = parseSubmission(
      profileSchema,
      form([
        ["csrf", "token"],
        ["publicName", "   "],
        ["pronouns", "x".repeat(41)],
        ["constituency", "police"],
      ]),
    );
    expect(result).toEqual({
      ok: false,
      errors: { publicName: ["errors.required"], pronouns: ["errors.tooLong"], constituency: ["errors.invalidChoice"] },
      values: { publicName: "   ", pronouns: "x".repeat(41), constituency: "police" },
    });
  });

  it("saves a proposal draft with only a title: the form's empty fields count as not given", () => {
    const result = parseSubmission(
      draftSchema,
      form([["title", "Only a title"], ["abstract", ""], ["format", ""], ["primaryTrack", ""], ["audienceSize", ""], ["coFacilitators", ""]]),
    );
    expect(result).toEqual({ ok: true, value: { title: "Only a title" } });
  });
});
