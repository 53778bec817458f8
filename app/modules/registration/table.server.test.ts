import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from "../../../tests/setup/databases";
import { convening, participant } from "../../../tests/factories";
import { listRegistrations } from "./queries.server";
import { decodeCursor, encodeCursor, SORTS, tableSchema, type Cursor, type Sort, type TableView } from "./schema";

// The organizer's table: search, every sort both ways, and keyset pages that visit each row once.
// Names are single ASCII words so that both databases' text orders agree with the one here.
const PEOPLE = [
  { name: "Amara", fullName: "Amara Okafor", organization: "Sisonke", country: "Kenya", constituency: "sex_worker_or_community_member", attendance: "in_person", support: "yes", at: "2027-02-01T10:00:00.000Z", status: "confirmed" },
  { name: "bruno", fullName: "Bruno Lima", organization: "Davida", country: "Brazil", constituency: "advocate", attendance: "remote", support: "no", at: "2027-02-01T10:00:00.000Z", status: "confirmed" },
  { name: "Chen", fullName: "Chen Wei", organization: null, country: null, constituency: null, attendance: "in_person", support: "no", at: "2027-02-01T09:00:00.000Z", status: "declined" },
  { name: "Amara", fullName: "Amara Diallo", organization: "sisonke", country: "kenya", constituency: "researcher", attendance: "in_person", support: "yes", at: "2027-02-02T08:00:00.000Z", status: "confirmed" },
  { name: "Dana", fullName: "Dana 100% Sure", organization: "Red_Umbrella", country: "Germany", constituency: "donor", attendance: "remote", support: "no", at: "2027-02-01T10:00:00.000Z", status: "cancelled" },
  { name: "Eli", fullName: null, organization: "Davida", country: "Brazil", constituency: "advocate", attendance: "in_person", support: "no", at: "2027-02-03T12:00:00.000Z", status: "confirmed" },
  { name: "fatima", fullName: "Fatima Zahra", organization: "APNSW", country: "Morocco", constituency: "other", attendance: "remote", support: "yes", at: "2027-02-03T12:00:00.000Z", status: "confirmed" },
  { name: "Gus", fullName: "Gus Ortega", organization: null, country: "Kenya", constituency: "service_provider", attendance: "in_person", support: "no", at: "2027-01-31T23:00:00.000Z", status: "confirmed" },
] as const;

describe.each(DATABASE_KINDS)("the registrations table on %s", (kind) => {
  let t: TestDatabase;
  let conveningId: number;
  let rows: Array<(typeof PEOPLE)[number] & { id: number; email: string }>;

  beforeAll(async () => {
    t = await freshDatabase(kind);
    const made = await convening(t.db, { slug: "table" });
    conveningId = made.id;
    // Another convening's registrant never shows, whatever the search.
    const other = await convening(t.db, { slug: "elsewhere" });
    await participant(t.db, other.id, { name: "Amara", email: "amara.elsewhere@example.org" });
    rows = [];
    for (const p of PEOPLE) {
      const person = await participant(t.db, conveningId, {
        name: p.name,
        email: `${p.name.toLowerCase()}.${rows.length}@mail.example.org`,
        fullName: p.fullName,
        status: p.status,
        now: new Date(p.at),
        answers: {
          displayName: p.name,
          organization: p.organization ?? undefined,
          country: p.country ?? undefined,
          constituency: p.constituency ?? undefined,
          attendance: p.attendance,
          support: p.support === "yes" ? { items: [{ kind: "travel", currency: "EUR", cents: 30_000 }], reason: "Travel" } : null,
        },
      });
      const row = await t.db.selectFrom("registrations").select("id").where("convening_id", "=", conveningId).where("person_id", "=", person.id).executeTakeFirstOrThrow();
      rows.push({ ...p, id: row.id, email: person.email });
    }
  });
  afterAll(async () => {
    await t.drop();
  });

  // The filters and order as the query string gives them; a cursor as the loader has read it.
  const view = ({ after, before, ...over }: Partial<TableView> = {}): TableView => ({ ...tableSchema.parse(over), after, before });
  const names = async (over: Partial<TableView>) => (await listRegistrations(t.db, conveningId, view(over))).rows.map((r) => r.id);
  const idsOf = (...indexes: number[]) => indexes.map((i) => rows[i]!.id);

  it("searches the shown name, the full name, the email address and the organization, in any case, with % and _ as typed", async () => {
    expect(await names({ q: "amara" })).toEqual(idsOf(0, 3));
    expect(await names({ q: "OKAFOR" })).toEqual(idsOf(0));
    expect(await names({ q: "lima" })).toEqual(idsOf(1));
    expect(await names({ q: `gus.7@mail` })).toEqual(idsOf(7));
    expect(await names({ q: "davida" })).toEqual(idsOf(1, 5));
    expect(await names({ q: "100%" })).toEqual(idsOf(4));
    expect(await names({ q: "d_v" })).toEqual([]);
    expect(await names({ q: "red_umb" })).toEqual(idsOf(4));
    expect(await names({ q: "%" })).toEqual(idsOf(4));
    expect(await names({ q: "nobody-has-this" })).toEqual([]);
    // Search and the filters narrow together, and the count follows.
    const page = await listRegistrations(t.db, conveningId, view({ q: "amara", constituency: "researcher" }));
    expect(page.rows.map((r) => r.id)).toEqual(idsOf(3));
    expect(page.total).toBe(1);
    expect(await names({ q: "davida", attendance: "remote" })).toEqual(idsOf(1));
    expect(await names({ status: "confirmed", support: "asked" })).toEqual(idsOf(0, 3, 6));
  });

  // The order each sort means, written out here: text without case, an empty value first, id last.
  const keyOf: Record<Sort, (r: (typeof rows)[number]) => string | number> = {
    registered: (r) => r.at,
    name: (r) => r.name.toLowerCase(),
    status: (r) => r.status,
    attendance: (r) => r.attendance,
    organization: (r) => (r.organization ?? "").toLowerCase(),
    constituency: (r) => r.constituency ?? "",
    country: (r) => (r.country ?? "").toLowerCase(),
    support: (r) => (r.support === "yes" ? 1 : 0),
  };
  const expected = (sort: Sort, dir: "asc" | "desc") => {
    const sorted = [...rows].sort((a, b) => {
      const [x, y] = [keyOf[sort](a), keyOf[sort](b)];
      return x < y ? -1 : x > y ? 1 : a.id - b.id;
    });
    return (dir === "asc" ? sorted : sorted.reverse()).map((r) => r.id);
  };

  it.each(SORTS.flatMap((sort) => [[sort, "asc"], [sort, "desc"]] as const))("sorts by %s, %s, with id breaking ties", async (sort, dir) => {
    expect(await names({ sort, dir })).toEqual(expected(sort, dir));
  });

  it.each(SORTS.flatMap((sort) => [[sort, "asc"], [sort, "desc"]] as const))("pages by %s, %s, forward then back, visiting each row once", async (sort, dir) => {
    const size = 3;
    const forward: number[][] = [];
    let page = await listRegistrations(t.db, conveningId, view({ sort, dir }), size);
    expect(page.previous).toBeNull();
    forward.push(page.rows.map((r) => r.id));
    while (page.next) {
      // The cursor goes through the URL and back.
      const after = decodeCursor(encodeCursor(page.next));
      page = await listRegistrations(t.db, conveningId, view({ sort, dir, after }), size);
      forward.push(page.rows.map((r) => r.id));
      expect(page.previous).not.toBeNull();
    }
    expect(forward.flat()).toEqual(expected(sort, dir));
    expect(forward.map((p) => p.length)).toEqual([3, 3, 2]);
    expect(page.total).toBe(8);

    const backward: number[][] = [forward[forward.length - 1]!];
    while (page.previous) {
      page = await listRegistrations(t.db, conveningId, view({ sort, dir, before: decodeCursor(encodeCursor(page.previous)) }), size);
      backward.unshift(page.rows.map((r) => r.id));
      expect(page.next).not.toBeNull();
    }
    expect(backward).toEqual(forward);
  });

  it("keeps the filters and search while paging", async () => {
    const first = await listRegistrations(t.db, conveningId, view({ q: "a", sort: "name" }), 2);
    const expectedIds = expected("name", "asc").filter((id) => {
      const r = rows.find((row) => row.id === id)!;
      return [r.name, r.fullName ?? "", r.email, r.organization ?? ""].some((v) => v.toLowerCase().includes("a"));
    });
    const seen = first.rows.map((r) => r.id);
    let next: Cursor | null = first.next;
    while (next) {
      const page = await listRegistrations(t.db, conveningId, view({ q: "a", sort: "name", after: next }), 2);
      seen.push(...page.rows.map((r) => r.id));
      next = page.next;
    }
    expect(seen).toEqual(expectedIds);
    expect(first.total).toBe(expectedIds.length);
  });

  it("reads a cursor that does not parse, or does not fit the sort, as the first page", async () => {
    const firstPage = expected("support", "asc").slice(0, 3);
    const read = (value: string) => tableSchema.parse({ sort: "support", after: value });
    expect(read("not-a-cursor").after).toBeUndefined();
    expect(read(encodeCursor({ key: 1, id: 2 })).after).toEqual({ key: 1, id: 2 });
    // A text key for a numeric sort (an edited URL) would be an error in PostgreSQL: it is ignored.
    expect((await listRegistrations(t.db, conveningId, read(encodeCursor({ key: "x", id: 2 })), 3)).rows.map((r) => r.id)).toEqual(firstPage);
    expect(tableSchema.parse({ sort: "nonsense", dir: "sideways" })).toMatchObject({ sort: "registered", dir: "asc" });
  });
});
