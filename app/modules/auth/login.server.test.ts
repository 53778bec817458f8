import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from "../../../tests/setup/databases";
import { MAX_CODE_ATTEMPTS, SIGN_IN_LIMITS, TOKEN_TTL_MS, requestSignIn, signInWithCode, signInWithToken } from "./login.server";
import { createSession, loadUser } from "./session.server";

describe.each(DATABASE_KINDS)("passwordless sign-in on %s", (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshDatabase(kind);
  });
  afterAll(async () => {
    await t.drop();
  });

  const at = (iso: string) => new Date(iso);

  it("queues one sign-in mail holding the link and the code, and stores neither in clear", async () => {
    const result = await requestSignIn(t.db, { email: "  Ana@Example.ORG ", clientAddress: "10.0.0.1", now: at("2027-01-01T10:00:00Z") });
    if (!result.ok) throw new Error("expected ok");
    expect(result.code).toMatch(/^\d{6}$/);
    expect(result.link).toMatch(/^http:\/\/convene\.test\/login\/verify\?token=[A-Za-z0-9_-]{43}$/);

    const mails = await t.db.selectFrom("mail_outbox").selectAll().where("to_address", "=", "ana@example.org").execute();
    expect(mails).toHaveLength(1);
    expect(mails[0]!.template).toBe("sign-in");
    expect(mails[0]!.subject).toBe("Your Convene sign-in link");
    expect(mails[0]!.text_body).toContain(result.link);
    expect(mails[0]!.text_body).toContain(result.code);
    expect(mails[0]!.status).toBe("queued");

    const token = await t.db.selectFrom("login_tokens").selectAll().where("id", "=", result.tokenId).executeTakeFirstOrThrow();
    const token64 = new URL(result.link).searchParams.get("token")!;
    expect(token.email).toBe("ana@example.org");
    expect(token.token_hash).not.toContain(token64);
    expect(token.code_hash).not.toContain(result.code);
    expect(token.expires_at).toBe(new Date(at("2027-01-01T10:00:00Z").getTime() + TOKEN_TTL_MS).toISOString());
  });

  it("creates the account on first use of the link, and the link works once", async () => {
    const now = at("2027-01-02T10:00:00Z");
    const result = await requestSignIn(t.db, { email: "new@example.org", clientAddress: "10.0.0.2", redirectTo: "/account", now });
    if (!result.ok) throw new Error("expected ok");
    const token = new URL(result.link).searchParams.get("token")!;

    const first = await signInWithToken(t.db, token, new Date(now.getTime() + 60_000));
    expect(first).toMatchObject({ ok: true, created: true, redirectTo: "/account" });
    const second = await signInWithToken(t.db, token, new Date(now.getTime() + 120_000));
    expect(second).toEqual({ ok: false, reason: "expired" });

    const people = await t.db.selectFrom("people").select(["email", "profile_completed_at"]).where("email", "=", "new@example.org").execute();
    expect(people).toEqual([{ email: "new@example.org", profile_completed_at: null }]);
  });

  it("signs an existing person in without creating a second account, whatever the letter case", async () => {
    const now = at("2027-01-03T10:00:00Z");
    const result = await requestSignIn(t.db, { email: "NEW@example.org", clientAddress: "10.0.0.3", now });
    if (!result.ok) throw new Error("expected ok");
    const signedIn = await signInWithCode(t.db, result.tokenId, result.code, now);
    expect(signedIn).toMatchObject({ ok: true, created: false });
    const count = await t.db.selectFrom("people").select((eb) => eb.fn.countAll<number>().as("n")).where("email", "=", "new@example.org").executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  it("refuses an expired link and an unknown one", async () => {
    const now = at("2027-01-04T10:00:00Z");
    const result = await requestSignIn(t.db, { email: "late@example.org", clientAddress: "10.0.0.4", now });
    if (!result.ok) throw new Error("expected ok");
    const token = new URL(result.link).searchParams.get("token")!;
    expect(await signInWithToken(t.db, token, new Date(now.getTime() + TOKEN_TTL_MS))).toEqual({ ok: false, reason: "expired" });
    expect(await signInWithToken(t.db, "not-a-token", now)).toEqual({ ok: false, reason: "invalid" });
    expect(await t.db.selectFrom("people").select("id").where("email", "=", "late@example.org").execute()).toEqual([]);
  });

  it("locks the code after too many wrong guesses, even for the right code afterwards", async () => {
    const now = at("2027-01-05T10:00:00Z");
    const result = await requestSignIn(t.db, { email: "guess@example.org", clientAddress: "10.0.0.5", now });
    if (!result.ok) throw new Error("expected ok");
    const wrong = result.code === "000000" ? "111111" : "000000";
    const outcomes = [];
    for (let i = 0; i < MAX_CODE_ATTEMPTS; i++) outcomes.push((await signInWithCode(t.db, result.tokenId, wrong, now)) as { reason: string });
    expect(outcomes.map((o) => o.reason)).toEqual([...Array(MAX_CODE_ATTEMPTS - 1).fill("invalid"), "too_many_attempts"]);
    expect(await signInWithCode(t.db, result.tokenId, result.code, now)).toEqual({ ok: false, reason: "too_many_attempts" });
  });

  it("limits requests per address and per client, counting nothing it refuses", async () => {
    const now = at("2027-01-06T10:00:00Z");
    const perAddress = [];
    for (let i = 0; i < SIGN_IN_LIMITS.perAddress.max + 1; i++) {
      perAddress.push((await requestSignIn(t.db, { email: "busy@example.org", clientAddress: `10.1.0.${i}`, now })).ok);
    }
    expect(perAddress).toEqual([...Array(SIGN_IN_LIMITS.perAddress.max).fill(true), false]);
    const later = new Date(now.getTime() + SIGN_IN_LIMITS.perAddress.windowMs + 1000);
    expect((await requestSignIn(t.db, { email: "busy@example.org", clientAddress: "10.1.1.1", now: later })).ok).toBe(true);

    const perClient = [];
    for (let i = 0; i < SIGN_IN_LIMITS.perClient.max + 1; i++) {
      perClient.push((await requestSignIn(t.db, { email: `client${i}@example.org`, clientAddress: "10.2.0.1", now })).ok);
    }
    expect(perClient.filter(Boolean)).toHaveLength(SIGN_IN_LIMITS.perClient.max);
    expect(perClient.at(-1)).toBe(false);
    const queued = await t.db.selectFrom("mail_outbox").select("id").where("to_address", "=", `client${SIGN_IN_LIMITS.perClient.max}@example.org`).execute();
    expect(queued).toEqual([]);
  });

  it("keeps a session until it is deleted or expires", async () => {
    const person = await t.db.selectFrom("people").select("id").where("email", "=", "new@example.org").executeTakeFirstOrThrow();
    const cookie = await createSession(t.db, person.id, at("2027-01-07T10:00:00Z"));
    const id = JSON.parse(Buffer.from(decodeURIComponent(cookie.split("=")[1]!.split(";")[0]!).split(".")[0]!, "base64").toString()) as string;
    const user = await loadUser(t.db, id, at("2027-01-07T11:00:00Z"));
    expect(user).toMatchObject({ id: person.id, email: "new@example.org", profileComplete: false, roles: [] });
    expect(await loadUser(t.db, id, at("2027-03-01T10:00:00Z"))).toBeNull();
    expect(await loadUser(t.db, `${id}x`, at("2027-01-07T11:00:00Z"))).toBeNull();
  });
});
