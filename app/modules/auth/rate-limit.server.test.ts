import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from "../../../tests/setup/databases";
import { limitSubmissions, SUBMISSION_LIMITS } from "./rate-limit.server";

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => "allowed",
    (e: { init?: { status?: number }; data?: { message?: string } }) => `${e.init?.status} ${e.data?.message}`,
  );

describe.each(DATABASE_KINDS)("submission limits on %s", (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshDatabase(kind);
  });
  afterAll(async () => {
    await t.drop();
  });

  it("lets a person register 20 times in 10 minutes, refuses the 21st with 429, and not someone else; the window slides", async () => {
    const start = new Date("2027-01-01T10:00:00Z");
    for (let i = 0; i < SUBMISSION_LIMITS.registration.max; i++) {
      expect(await refusal(limitSubmissions(t.db, "registration", 1, new Date(start.getTime() + i * 1000)))).toBe("allowed");
    }
    expect(await refusal(limitSubmissions(t.db, "registration", 1, new Date(start.getTime() + 30_000)))).toBe("429 errors.tooManySubmissions");
    expect(await refusal(limitSubmissions(t.db, "registration", 2, new Date(start.getTime() + 30_000)))).toBe("allowed");
    // Proposals are counted apart.
    expect(await refusal(limitSubmissions(t.db, "proposal", 1, new Date(start.getTime() + 30_000)))).toBe("allowed");
    expect(await refusal(limitSubmissions(t.db, "registration", 1, new Date(start.getTime() + 10 * 60_000 + 1_000)))).toBe("allowed");
  });
});
