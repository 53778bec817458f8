import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from "../../tests/setup/databases";
import { person } from "../../tests/factories";
import { answerOnce, createOnce, pruneSubmissions, submissionToken } from "./submissions.server";

function form(entries: Record<string, string>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(entries)) f.append(k, v);
  return f;
}

describe.each(DATABASE_KINDS)("creating once per submission on %s", (kind) => {
  let t: TestDatabase;
  let personId: number;
  let created: string[];
  const make = (what: string) => async () => {
    created.push(what);
    return `/done/${created.length}`;
  };

  beforeEach(async () => {
    t = await freshDatabase(kind);
    personId = (await person(t.db)).id;
    created = [];
  });
  afterEach(() => t.drop());

  it("carries out a token once, sending a repeat where the first went", async () => {
    const token = submissionToken();
    expect(token).toMatch(/^sub_[A-Za-z0-9_-]{22}$/);
    const first = await createOnce(t.db, form({ submission: token, text: "a" }), { personId, kind: "note" }, make("a"));
    const again = await createOnce(t.db, form({ submission: token, text: "a" }), { personId, kind: "note" }, make("a again"));
    const [x, y] = await Promise.all([
      createOnce(t.db, form({ submission: submissionToken(), text: "b" }), { personId, kind: "note" }, make("b")),
      createOnce(t.db, form({ submission: submissionToken(), text: "c" }), { personId, kind: "note" }, make("c")),
    ]);
    expect([first.headers.get("Location"), again.headers.get("Location")]).toEqual(["/done/1", "/done/1"]);
    expect([x.status, y.status]).toEqual([302, 302]);
    expect(created.sort()).toEqual(["a", "b", "c"]);
  });

  it("knows the same content sent again under a new token (a page reloaded by Back) as a repeat, but not other content", async () => {
    await createOnce(t.db, form({ submission: submissionToken(), text: "same", csrf: "x" }), { personId, kind: "note" }, make("first"));
    const repeat = await createOnce(t.db, form({ submission: submissionToken(), text: "same", csrf: "y" }), { personId, kind: "note" }, make("second"));
    await createOnce(t.db, form({ submission: submissionToken(), text: "other" }), { personId, kind: "note" }, make("other"));
    // Another form, or another person, with the same words is new.
    await createOnce(t.db, form({ submission: submissionToken(), text: "same" }), { personId, kind: "item" }, make("item"));
    const bo = (await person(t.db)).id;
    await createOnce(t.db, form({ submission: submissionToken(), text: "same" }), { personId: bo, kind: "note" }, make("bo"));
    expect(repeat.headers.get("Location")).toBe("/done/1");
    expect(created).toEqual(["first", "other", "item", "bo"]);
  });

  it("lets a refused submission be sent again, carries out forms without a token each time, and refuses a broken token", async () => {
    const token = submissionToken();
    await expect(createOnce(t.db, form({ submission: token, text: "x" }), { personId, kind: "note" }, () => Promise.reject(new Error("refused")))).rejects.toThrow("refused");
    await createOnce(t.db, form({ submission: token, text: "x" }), { personId, kind: "note" }, make("after refusal"));
    await createOnce(t.db, form({ text: "script" }), { personId, kind: "note" }, make("script 1"));
    await createOnce(t.db, form({ text: "script" }), { personId, kind: "note" }, make("script 2"));
    const broken = await createOnce(t.db, form({ submission: "<bad>" }), { personId, kind: "note" }, make("never")).catch((e: unknown) => e);
    expect(broken instanceof Response && broken.status).toBe(400);
    expect(created).toEqual(["after refusal", "script 1", "script 2"]);
    const token2 = submissionToken();
    const answers = [await answerOnce(t.db, form({ submission: token2, name: "Room" }), { personId, kind: "room" }, async () => "added", () => "repeat"), await answerOnce(t.db, form({ submission: token2, name: "Room" }), { personId, kind: "room" }, async () => "added", () => "repeat")];
    expect(answers).toEqual(["added", "repeat"]);
    await pruneSubmissions(t.db, new Date(Date.now() + 2 * 86_400_000));
    expect(await t.db.selectFrom("form_submissions").select("token").execute()).toEqual([]);
  });
});
