// The route-permission walker: every route file in app/routes is visited as an anonymous visitor,
// a participant, a reviewer and an organizer of the demo convening, and every answer is checked
// against the table below. A new route without a row in the table fails the test, so no route
// can be added without deciding who may see it.
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createSession } from "../../app/modules/auth/session.server";
import { useDemoApp } from "../setup/demo";

type Viewer = "anonymous" | "participant" | "reviewer" | "organizer";
const VIEWERS: Viewer[] = ["anonymous", "participant", "reviewer", "organizer"];

/** What a viewer gets: a status, or "login" for a redirect to the sign-in page. */
type Answer = number | "login";

interface Ids {
  slug: string;
  session: number;
  othersProposal: number;
  registration: number;
  action: number;
  track: string;
  mail: number;
}

interface Row {
  url: (ids: Ids) => string;
  /** answers to GET for anonymous, participant, reviewer, organizer */
  get: [Answer, Answer, Answer, Answer];
  /** answers to a POST without a valid form, where the route has an action: forbidden before anything is read */
  post?: [Answer, Answer, Answer, Answer];
}

const OPEN: Row["get"] = [200, 200, 200, 200];
const SIGNED_IN: Row["get"] = ["login", 200, 200, 200];
const ORGANIZERS: Row["get"] = ["login", 403, 403, 200];
const STAFF: Row["get"] = ["login", 403, 200, 200];
const NOT_FOUND: Row["get"] = [404, 404, 404, 404];
// A POST without the anti-forgery token: refused, whoever sends it (signed out: sent to sign in first).
const FORGED_AFTER_LOGIN: Row["post"] = ["login", 403, 403, 403];
const FORGED_ORGANIZERS: Row["post"] = ["login", 403, 403, 403];

const TABLE: Record<string, Row> = {
  "$.tsx": { url: () => "/no-such-page", get: NOT_FOUND },
  "_index.tsx": { url: () => "/", get: OPEN },
  "account._index.tsx": { url: () => "/account", get: SIGNED_IN, post: FORGED_AFTER_LOGIN },
  "account.data.tsx": { url: () => "/account/data", get: SIGNED_IN, post: FORGED_AFTER_LOGIN },
  "account.data[.]json.ts": { url: () => "/account/data.json", get: SIGNED_IN },
  "account.deleted.tsx": { url: () => "/account/deleted", get: OPEN },
  "actions.tsx": { url: () => "/actions", get: SIGNED_IN, post: FORGED_AFTER_LOGIN },
  "convenings.$slug.tsx": { url: (i) => `/convenings/${i.slug}`, get: OPEN },
  "convenings.$slug._index.tsx": { url: (i) => `/convenings/${i.slug}`, get: OPEN },
  "convenings.$slug.agenda.tsx": { url: (i) => `/convenings/${i.slug}/agenda`, get: OPEN },
  "convenings.$slug.agenda[.]ics.ts": { url: (i) => `/convenings/${i.slug}/agenda.ics`, get: OPEN },
  "convenings.$slug.invitations.$token.tsx": { url: (i) => `/convenings/${i.slug}/invitations/not-a-real-invitation`, get: ["login", 404, 404, 404], post: ["login", 404, 404, 404] },
  "convenings.$slug.my-agenda.tsx": { url: (i) => `/convenings/${i.slug}/my-agenda`, get: SIGNED_IN, post: FORGED_AFTER_LOGIN },
  "convenings.$slug.participants.tsx": { url: (i) => `/convenings/${i.slug}/participants`, get: ["login", 200, 200, 200] },
  "convenings.$slug.proposals.$id._index.tsx": { url: (i) => `/convenings/${i.slug}/proposals/${i.othersProposal}`, get: ["login", 404, 404, 404], post: ["login", 404, 404, 404] },
  "convenings.$slug.proposals.$id.edit.tsx": { url: (i) => `/convenings/${i.slug}/proposals/${i.othersProposal}/edit`, get: ["login", 404, 404, 404], post: ["login", 404, 404, 404] },
  "convenings.$slug.proposals._index.tsx": { url: (i) => `/convenings/${i.slug}/proposals`, get: SIGNED_IN, post: FORGED_AFTER_LOGIN },
  "convenings.$slug.proposals.new.tsx": { url: (i) => `/convenings/${i.slug}/proposals/new`, get: SIGNED_IN, post: FORGED_AFTER_LOGIN },
  "convenings.$slug.letter.tsx": { url: (i) => `/convenings/${i.slug}/letter`, get: SIGNED_IN, post: FORGED_AFTER_LOGIN },
  // A letter is the person's own, once approved: nobody here has one.
  "convenings.$slug.letter[.]pdf.ts": { url: (i) => `/convenings/${i.slug}/letter.pdf`, get: ["login", 404, 404, 404] },
  "convenings.$slug.register.tsx": { url: (i) => `/convenings/${i.slug}/register`, get: SIGNED_IN, post: FORGED_AFTER_LOGIN },
  "convenings.$slug.schedule[.]json.ts": { url: (i) => `/convenings/${i.slug}/schedule.json`, get: OPEN },
  "convenings.$slug.schedule[.]xml.ts": { url: (i) => `/convenings/${i.slug}/schedule.xml`, get: OPEN },
  "convenings.$slug.sessions.$id.calendar[.]ics.ts": { url: (i) => `/convenings/${i.slug}/sessions/${i.session}/calendar.ics`, get: OPEN },
  "convenings.$slug.sessions.$id.tsx": { url: (i) => `/convenings/${i.slug}/sessions/${i.session}`, get: OPEN, post: ["login", 403, 403, 403] },
  "convenings.$slug.sessions._index.tsx": { url: (i) => `/convenings/${i.slug}/sessions`, get: OPEN, post: FORGED_AFTER_LOGIN },
  "convenings.$slug.tracks.$track.agenda[.]ics.ts": { url: (i) => `/convenings/${i.slug}/tracks/${i.track}/agenda.ics`, get: OPEN },
  "feeds.$token.actions[.]ics.ts": { url: () => "/feeds/AAAAAAAAAAAAAAAAAAAAAAAAAAAA/actions.ics", get: NOT_FOUND },
  "feeds.$token.my-agenda[.]ics.ts": { url: () => "/feeds/AAAAAAAAAAAAAAAAAAAAAAAAAAAA/my-agenda.ics", get: NOT_FOUND },
  "healthz.ts": { url: () => "/healthz", get: OPEN },
  // Signed-in people are sent on from the sign-in page; the code page needs a sign-in under way.
  "login._index.tsx": { url: () => "/login", get: [200, 302, 302, 302], post: [403, 403, 403, 403] },
  "login.code.tsx": { url: () => "/login/code", get: ["login", "login", "login", "login"], post: [403, 403, 403, 403] },
  "login.verify.tsx": { url: () => "/login/verify", get: OPEN },
  "logout.tsx": { url: () => "/logout", get: [302, 302, 302, 302], post: [403, 403, 403, 403] },
  "organize._index.tsx": { url: () => "/organize", get: STAFF },
  "organize.audit.tsx": { url: () => "/organize/audit", get: ORGANIZERS },
  "organize.convenings.new.tsx": { url: () => "/organize/convenings/new", get: ORGANIZERS, post: FORGED_ORGANIZERS },
  "organize.mail.tsx": { url: () => "/organize/mail", get: ORGANIZERS, post: FORGED_ORGANIZERS },
  "organize.mail_.$id.tsx": { url: (i) => `/organize/mail/${i.mail}`, get: ORGANIZERS, post: FORGED_ORGANIZERS },
  "organize.$slug.badges.tsx": { url: (i) => `/organize/${i.slug}/badges`, get: ORGANIZERS, post: FORGED_ORGANIZERS },
  // Without a paper size the badges are not made: 400.
  "organize.$slug.badges[.]pdf.ts": { url: (i) => `/organize/${i.slug}/badges.pdf`, get: ["login", 403, 403, 400] },
  "organize.$slug.desk.tsx": { url: (i) => `/organize/${i.slug}/desk`, get: ORGANIZERS, post: FORGED_ORGANIZERS },
  "organize.$slug.desk_.volunteers.tsx": { url: (i) => `/organize/${i.slug}/desk/volunteers`, get: ORGANIZERS, post: FORGED_ORGANIZERS },
  "organize.$slug.letters.tsx": { url: (i) => `/organize/${i.slug}/letters`, get: ORGANIZERS, post: FORGED_ORGANIZERS },
  "organize.$slug.registrations.questions.tsx": { url: (i) => `/organize/${i.slug}/registrations/questions`, get: ORGANIZERS, post: FORGED_ORGANIZERS },
  "organize.$slug.support.tsx": { url: (i) => `/organize/${i.slug}/support`, get: ORGANIZERS, post: FORGED_ORGANIZERS },
  "organize.$slug.support[.]csv.ts": { url: (i) => `/organize/${i.slug}/support.csv`, get: ORGANIZERS },
  "organize.$slug._index.tsx": { url: (i) => `/organize/${i.slug}`, get: ORGANIZERS, post: FORGED_ORGANIZERS },
  "organize.$slug.actions.tsx": { url: (i) => `/organize/${i.slug}/actions`, get: ORGANIZERS, post: FORGED_ORGANIZERS },
  "organize.$slug.actions[.]csv.ts": { url: (i) => `/organize/${i.slug}/actions.csv`, get: ORGANIZERS },
  "organize.$slug.actions_.$id.tsx": { url: (i) => `/organize/${i.slug}/actions/${i.action}`, get: ORGANIZERS, post: FORGED_ORGANIZERS },
  "organize.$slug.actions_.report.tsx": { url: (i) => `/organize/${i.slug}/actions/report`, get: ORGANIZERS },
  "organize.$slug.messages.tsx": { url: (i) => `/organize/${i.slug}/messages`, get: ORGANIZERS, post: FORGED_ORGANIZERS },
  "organize.$slug.agenda.tsx": { url: (i) => `/organize/${i.slug}/agenda`, get: ORGANIZERS, post: FORGED_ORGANIZERS },
  "organize.$slug.agenda[.]csv.ts": { url: (i) => `/organize/${i.slug}/agenda.csv`, get: ORGANIZERS },
  "organize.$slug.agenda_.suggest.tsx": { url: (i) => `/organize/${i.slug}/agenda/suggest`, get: ORGANIZERS, post: FORGED_ORGANIZERS },
  "organize.$slug.agenda_.suggest[.]json.ts": { url: (i) => `/organize/${i.slug}/agenda/suggest.json`, get: ORGANIZERS },
  // A proposal outside the reviewer's tracks does not exist for them.
  "organize.$slug.proposals.$id.tsx": { url: (i) => `/organize/${i.slug}/proposals/${i.othersProposal}`, get: ["login", 403, 404, 200], post: ["login", 403, 404, 403] },
  "organize.$slug.proposals._index.tsx": { url: (i) => `/organize/${i.slug}/proposals`, get: STAFF, post: FORGED_ORGANIZERS },
  "organize.$slug.proposals.release.tsx": { url: (i) => `/organize/${i.slug}/proposals/release`, get: ORGANIZERS, post: FORGED_ORGANIZERS },
  "organize.$slug.proposals.settings.tsx": { url: (i) => `/organize/${i.slug}/proposals/settings`, get: ORGANIZERS, post: FORGED_ORGANIZERS },
  "organize.$slug.registrations.$id.tsx": { url: (i) => `/organize/${i.slug}/registrations/${i.registration}`, get: ORGANIZERS, post: FORGED_ORGANIZERS },
  "organize.$slug.registrations._index.tsx": { url: (i) => `/organize/${i.slug}/registrations`, get: ORGANIZERS, post: FORGED_ORGANIZERS },
  "organize.$slug.registrations[.]csv.ts": { url: (i) => `/organize/${i.slug}/registrations.csv`, get: ORGANIZERS },
  "unsubscribe.$token.tsx": { url: () => "/unsubscribe/1-reminders-00000000000000000000000000000000", get: NOT_FOUND, post: NOT_FOUND },
};

describe("who may reach each route", () => {
  const demo = useDemoApp();

  it("answers every route, for every kind of visitor, as the table says", { timeout: 120_000 }, async () => {
    const db = demo.db;
    const routeFiles = readdirSync(path.join(process.cwd(), "app/routes")).filter((f) => /\.tsx?$/.test(f) && !f.includes(".test."));
    // Every route has a row: a new route must be added here, with who may see it.
    expect(routeFiles.filter((f) => !(f in TABLE)).sort()).toEqual([]);
    expect(Object.keys(TABLE).filter((f) => !routeFiles.includes(f))).toEqual([]);

    const convening = await db.selectFrom("convenings").select("id").where("slug", "=", demo.slug).executeTakeFirstOrThrow();
    const organizer = (await db.selectFrom("people").select("id").where("email", "=", "organizer@example.org").executeTakeFirstOrThrow()).id;
    const reviewer = (await db.selectFrom("roles").select("person_id").where("role", "=", "reviewer").where("convening_id", "=", convening.id).orderBy("person_id").executeTakeFirstOrThrow()).person_id;
    const staff = new Set([organizer, reviewer]);
    const facilitators = new Set((await db.selectFrom("facilitators").select("person_id").execute()).map((f) => f.person_id));
    const participantRow = (await db.selectFrom("registrations").select(["id", "person_id"]).where("convening_id", "=", convening.id).where("status", "=", "confirmed").orderBy("id").execute()).find(
      (r) => !staff.has(r.person_id) && !facilitators.has(r.person_id),
    )!;
    const participant = participantRow.person_id;
    // A session the participant does not facilitate, and a proposal that is not theirs nor the reviewer's to review.
    const session = (await db.selectFrom("placements").innerJoin("proposals", "proposals.id", "placements.proposal_id").select("proposals.id").where("proposals.convening_id", "=", convening.id).orderBy("proposals.id").executeTakeFirstOrThrow()).id;
    const reviewable = new Set((await db.selectFrom("reviews").select("proposal_id").where("reviewer_id", "=", reviewer).execute()).map((r) => r.proposal_id));
    const othersProposal = (await db.selectFrom("proposals").select(["id", "proposer_id"]).where("convening_id", "=", convening.id).where("status", "!=", "draft").orderBy("id").execute()).find(
      (p) => p.proposer_id !== participant && p.proposer_id !== reviewer && !reviewable.has(p.id),
    )!.id;
    const action = (await db.selectFrom("action_items").select("id").where("convening_id", "=", convening.id).orderBy("id").executeTakeFirstOrThrow()).id;
    const track = (await db.selectFrom("tracks").select("slug").where("convening_id", "=", convening.id).orderBy("position").executeTakeFirstOrThrow()).slug;
    const mail = (await db.selectFrom("mail_outbox").select("id").orderBy("id").executeTakeFirstOrThrow()).id;
    const ids: Ids = { slug: demo.slug, session, othersProposal, registration: participantRow.id, action, track, mail };

    const cookies: Record<Viewer, string | null> = {
      anonymous: null,
      participant: (await createSession(db, participant)).split(";")[0]!,
      reviewer: (await createSession(db, reviewer)).split(";")[0]!,
      organizer: (await createSession(db, organizer)).split(";")[0]!,
    };
    const answer = async (method: "GET" | "POST", url: string, viewer: Viewer): Promise<Answer> => {
      const response = await fetch(`${demo.app.url}${url}`, {
        method,
        redirect: "manual",
        headers: { ...(cookies[viewer] ? { cookie: cookies[viewer]! } : {}), ...(method === "POST" ? { "content-type": "application/x-www-form-urlencoded" } : {}) },
        body: method === "POST" ? "intent=anything" : undefined,
      });
      await response.arrayBuffer();
      if (response.status >= 300 && response.status < 400 && (response.headers.get("location") ?? "").startsWith("/login")) return "login";
      return response.status;
    };

    const expected: string[] = [];
    const actual: string[] = [];
    for (const [file, row] of Object.entries(TABLE)) {
      const url = row.url(ids);
      for (const [i, viewer] of VIEWERS.entries()) {
        expected.push(`GET ${file} as ${viewer}: ${row.get[i]}`);
        actual.push(`GET ${file} as ${viewer}: ${await answer("GET", url, viewer)}`);
        if (row.post) {
          expected.push(`POST ${file} as ${viewer}: ${row.post[i]}`);
          actual.push(`POST ${file} as ${viewer}: ${await answer("POST", url, viewer)}`);
        }
      }
    }
    expect(actual).toEqual(expected);
    // …while one of their tracks' proposals is theirs to review.
    expect(await answer("GET", `/organize/${demo.slug}/proposals/${[...reviewable][0]}`, "reviewer")).toBe(200);
  });
});
