import { z } from "zod";
import { describe, expect, it } from "vitest";
import { DomainError, refusals } from "./domain-error";
import { formAction, invalid } from "./form-action.server";
import { idParam, requireParams, segment } from "./params";

const REFUSALS = refusals<"full" | "unknown_track">({ full: "errors.full", unknown_track: { key: "errors.unknownTrack", field: "primaryTrack" } });
class TestError extends DomainError<"full" | "unknown_track"> {
  constructor(code: "full" | "unknown_track", status: number) {
    super(code, status, REFUSALS);
  }
}

const schema = z.object({ title: z.string().min(1, "errors.required"), track: z.coerce.number() });
const formOf = (entries: Record<string, string | string[]>) => {
  const form = new FormData();
  for (const [k, v] of Object.entries(entries)) for (const one of [v].flat()) form.append(k, one);
  return form;
};
// What a route's action answers, as the browser receives it: status and body.
const answered = async (answer: unknown) => {
  const { data: body, init } = answer as { data: unknown; init: { status?: number } | null };
  return { status: init?.status ?? 200, body };
};

describe("formAction", () => {
  it("calls the domain with the parsed value and answers with what it returns", async () => {
    const seen: unknown[] = [];
    const answer = await formAction(formOf({ title: "Caucus", track: "3", csrf: "x" }), schema, async (v) => (seen.push(v), new Response(null, { status: 302, headers: { Location: "/done" } })));
    expect(seen).toEqual([{ title: "Caucus", track: 3 }]);
    expect((answer as Response).status).toBe(302);
  });

  it("answers a form that does not parse with 400, its errors beside their fields and what was typed, without calling the domain", async () => {
    let called = false;
    const answer = await formAction(formOf({ title: "", track: "2", csrf: "secret" }), schema, async () => (called = true), { echo: { intent: "add" } });
    expect(called).toBe(false);
    expect(await answered(answer)).toEqual({ status: 400, body: { intent: "add", ok: false, errors: { title: ["errors.required"] }, values: { title: "", track: "2" }, message: "errors.required", detail: null } });
  });

  it("answers a domain refusal with its status and its words beside its field, renamed where the page names it otherwise", async () => {
    const answer = await formAction(formOf({ title: "T", track: "9" }), schema, async () => {
      throw new TestError("unknown_track", 400);
    }, { fields: { primaryTrack: "track" } });
    expect(await answered(answer)).toEqual({ status: 400, body: { ok: false, errors: { track: ["errors.unknownTrack"] }, values: { title: "T", track: "9" }, message: "errors.unknownTrack", detail: null } });
    const full = await formAction(formOf({ title: "T", track: "1" }), schema, async () => {
      throw new TestError("full", 409);
    });
    expect(await answered(full)).toMatchObject({ status: 409, body: { errors: { form: ["errors.full"] }, message: "errors.full" } });
  });

  it("passes a thrown redirect on, and throws anything that is not a refusal (a bug is a 500, not a form error)", async () => {
    const redirect = new Response(null, { status: 302 });
    await expect(formAction(formOf({ title: "T", track: "1" }), schema, async () => { throw redirect; })).rejects.toBe(redirect);
    await expect(formAction(formOf({ title: "T", track: "1" }), schema, async () => { throw new TypeError("bug"); })).rejects.toThrow("bug");
  });

  it("shows a summary above a form that does not parse when the page asks for one", async () => {
    expect(await answered(invalid({ slot: ["errors.invalid"] }, formOf({}), { summary: "errors.fixBelow" }))).toMatchObject({ status: 400, body: { message: "errors.fixBelow", errors: { slot: ["errors.invalid"] } } });
  });
});

describe("requireParams", () => {
  const params = z.object({ slug: segment, id: idParam });
  it("parses an address's parameters", () => {
    expect(requireParams({ slug: "lisbon-2027", id: "12" }, params)).toEqual({ slug: "lisbon-2027", id: 12 });
  });
  it.each([
    ["a missing id", { slug: "x" }],
    ["an id that is not a whole number", { slug: "x", id: "1.5" }],
    ["an id past the largest a row can have", { slug: "x", id: String(2 ** 31) }],
    ["a zero id", { slug: "x", id: "0" }],
    ["a slug with a NUL character", { slug: "x\u0000", id: "1" }],
  ])("answers 404 for %s", (_, given) => {
    let thrown: unknown;
    try {
      requireParams(given, params);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(404);
  });
});
