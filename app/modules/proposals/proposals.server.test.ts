import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from "../../../tests/setup/databases";
import { convening, person } from "../../../tests/factories";
import { submitRegistration } from "../registration/registering.server";
import { updateRegistrationSettings } from "../registration/settings.server";
import { confirmReadyProposals, decideProposals, releaseDecisions, releasePreview } from "./decisions.server";
import { createProposal, updateProposal, withdrawProposal } from "./authoring.server";
import { respondToInvitation } from "./invitations.server";
import { setProposalState } from "./state.server";
import { ProposalError } from "./errors";
import { acceptedBalance, listForReviewer, proposalForReviewer, rankProposals, reviewerFor, saveReview } from "./review.server";
import { listSessions, setInterest } from "./sessions.server";
import { addCriterion, assignReviewer, updateCfpSettings } from "./settings.server";
import type { ProposalInput } from "./schema";
import { TRANSITIONS } from "./states";

const OPEN = new Date("2027-02-01T12:00:00Z");

describe.each(DATABASE_KINDS)("proposals on %s", (kind) => {
  let t: TestDatabase;
  let conveningId: number;
  let tracks: number[];
  let organizerId: number;
  let seq = 0;

  const someone = (name: string, organization?: string) => person(t.db, { name, organization, fullName: `${name} Secretname` });

  function answers(over: Partial<ProposalInput> = {}): ProposalInput {
    return {
      title: "A session",
      abstract: "What it is about.",
      description: "How it runs.",
      format: "workshop",
      length: 60,
      primaryTrack: tracks[0]!,
      linkedTracks: [],
      languages: ["English"],
      needs: [],
      coFacilitators: [],
      ...over,
    };
  }

  const mails = (template: string) =>
    t.db.selectFrom("mail_outbox").select(["to_address", "subject", "text_body"]).where("template", "=", template).where("convening_id", "=", conveningId).orderBy("id").execute();
  const reject = (p: Promise<unknown>) => p.then(() => "accepted", (e: unknown) => (e instanceof ProposalError ? `${e.status} ${e.code}` : String(e)));

  beforeAll(async () => {
    t = await freshDatabase(kind);
    organizerId = (await someone("Organizer")).id;
  });
  afterAll(async () => {
    await t.drop();
  });
  beforeEach(async () => {
    ({ id: conveningId, trackIds: tracks } = await convening(t.db, { slug: `p-${++seq}`, organizerId, cfp: { formats: ["workshop", "panel"], lengths: [60, 90] } }));
  });

  it("saves a draft, submits it with a mail to the proposer, and lets them edit until the deadline", async () => {
    const ana = await someone("Ana");
    const draft = await createProposal(t.db, { conveningId, proposerId: ana.id, answers: { title: "Only a title" }, submit: false, now: OPEN });
    expect(draft.status).toBe("draft");
    expect(await mails("proposal-submitted")).toEqual([]);
    expect(await reject(updateProposal(t.db, { conveningId, proposalId: draft.id, personId: ana.id, answers: { title: "Still a title" }, submit: true, now: OPEN }))).toBe("400 incomplete");
    const submitted = await updateProposal(t.db, { conveningId, proposalId: draft.id, personId: ana.id, answers: answers({ title: "Rights at work", linkedTracks: [tracks[4]!, tracks[0]!] }), submit: true, now: OPEN });
    expect(submitted).toMatchObject({ status: "submitted", title: "Rights at work", submitted_at: OPEN.toISOString() });
    const tracksOf = await t.db.selectFrom("proposal_tracks").select(["track_id", "is_primary"]).where("proposal_id", "=", draft.id).orderBy("is_primary", "desc").execute();
    expect(tracksOf).toEqual([{ track_id: tracks[0], is_primary: 1 }, { track_id: tracks[4], is_primary: 0 }]);
    expect((await mails("proposal-submitted")).map((m) => [m.to_address, m.subject])).toEqual([[ana.email, 'We received your proposal "Rights at work"']]);
    await updateProposal(t.db, { conveningId, proposalId: draft.id, personId: ana.id, answers: answers({ title: "Rights at work, revised" }), submit: false, now: OPEN });
    expect(await reject(updateProposal(t.db, { conveningId, proposalId: draft.id, personId: ana.id, answers: answers(), submit: false, now: new Date("2027-03-01T00:00:00Z") }))).toBe("409 closed");
    expect(await mails("proposal-submitted")).toHaveLength(1);
  });

  it("invites co-facilitators only once the proposal is submitted, and keeps drafts from them", async () => {
    const ana = await someone("Ana");
    const co = await someone("Coco");
    const draft = await createProposal(t.db, { conveningId, proposerId: ana.id, answers: { title: "Quiet draft", coFacilitators: [co.email] }, submit: false, now: OPEN });
    expect(await mails("facilitator-invitation")).toEqual([]);
    expect(await t.db.selectFrom("facilitators").select(["email", "status", "invite_token_hash"]).where("proposal_id", "=", draft.id).where("role", "=", "co").execute()).toEqual([
      { email: co.email, status: "invited", invite_token_hash: null },
    ]);
    await updateProposal(t.db, { conveningId, proposalId: draft.id, personId: ana.id, answers: answers({ title: "Quiet draft", coFacilitators: [co.email] }), submit: true, now: OPEN });
    expect((await mails("facilitator-invitation")).map((m) => m.to_address)).toEqual([co.email]);
    // A pending decision does not stop the proposer editing or withdrawing before the deadline.
    await decideProposals(t.db, { conveningId, organizerId, ids: [draft.id], decision: "declined", now: OPEN });
    await updateProposal(t.db, { conveningId, proposalId: draft.id, personId: ana.id, answers: answers({ title: "Still mine to edit" }), submit: false, now: OPEN });
    await withdrawProposal(t.db, { conveningId, proposalId: draft.id, personId: ana.id, now: OPEN });
    expect((await t.db.selectFrom("proposals").select(["title", "status"]).where("id", "=", draft.id).executeTakeFirstOrThrow())).toEqual({ title: "Still mine to edit", status: "withdrawn" });
  });

  it("refuses proposals outside the window, unknown formats, lengths and tracks, and edits by others", async () => {
    const ana = await someone("Ana");
    const ben = await someone("Ben");
    expect(await reject(createProposal(t.db, { conveningId, proposerId: ana.id, answers: answers(), submit: true, now: new Date("2026-12-31T23:59:00Z") }))).toBe("409 closed");
    expect(await reject(createProposal(t.db, { conveningId, proposerId: ana.id, answers: answers({ format: "caucus" }), submit: true, now: OPEN }))).toBe("400 unknown_format");
    expect(await reject(createProposal(t.db, { conveningId, proposerId: ana.id, answers: answers({ length: 45 }), submit: true, now: OPEN }))).toBe("400 unknown_length");
    expect(await reject(createProposal(t.db, { conveningId, proposerId: ana.id, answers: answers({ primaryTrack: 999_999 }), submit: true, now: OPEN }))).toBe("400 unknown_track");
    expect(await t.db.selectFrom("proposals").select("id").where("convening_id", "=", conveningId).execute()).toEqual([]);
    const mine = await createProposal(t.db, { conveningId, proposerId: ana.id, answers: answers(), submit: true, now: OPEN });
    expect(await reject(updateProposal(t.db, { conveningId, proposalId: mine.id, personId: ben.id, answers: answers({ title: "Hijacked" }), submit: false, now: OPEN }))).toBe("404 not_found");
    expect(await reject(withdrawProposal(t.db, { conveningId, proposalId: mine.id, personId: ben.id, now: OPEN }))).toBe("404 not_found");
    expect((await t.db.selectFrom("proposals").select("title").where("id", "=", mine.id).executeTakeFirstOrThrow()).title).toBe("A session");
  });

  it("follows the state machine: decisions stay pending and unmailed until released, invalid transitions are refused", async () => {
    const ana = await someone("Ana");
    const co = await someone("Coco");
    const p = await createProposal(t.db, { conveningId, proposerId: ana.id, answers: answers({ title: "Joint session", coFacilitators: [co.email, co.email.toUpperCase()] }), submit: true, now: OPEN });
    const invitations = await mails("facilitator-invitation");
    expect(invitations.map((m) => [m.to_address, m.subject])).toEqual([[co.email, 'Invitation to facilitate "Joint session"']]);
    expect(invitations[0]!.text_body).toContain("Ana invites you to facilitate the session");
    expect(invitations[0]!.text_body).not.toContain("Secretname");
    const token = /invitations\/([A-Za-z0-9_-]+)/.exec(invitations[0]!.text_body)![1]!;
    await respondToInvitation(t.db, { token, personId: co.id, accept: true, now: OPEN });
    expect(await reject(respondToInvitation(t.db, { token, personId: co.id, accept: true, now: OPEN }))).toBe("404 not_found");

    await decideProposals(t.db, { conveningId, organizerId, ids: [p.id], decision: "accepted", message: "Welcome aboard", now: OPEN });
    expect((await t.db.selectFrom("proposals").select("status").where("id", "=", p.id).executeTakeFirstOrThrow()).status).toBe("pending_accepted");
    expect(await mails("proposal-accepted")).toEqual([]);
    // Changing one's mind before release is allowed; taking it back returns it to review.
    await decideProposals(t.db, { conveningId, organizerId, ids: [p.id], decision: "declined", now: OPEN });
    await decideProposals(t.db, { conveningId, organizerId, ids: [p.id], decision: "accepted", message: "Welcome aboard", now: OPEN });

    expect((await releaseDecisions(t.db, { conveningId, organizerId, fingerprint: (await releasePreview(t.db, conveningId)).fingerprint, now: OPEN })).released).toBe(1);
    const accepted = await mails("proposal-accepted");
    expect(accepted.map((m) => m.to_address).sort()).toEqual([ana.email, co.email].sort());
    expect(accepted[0]!.text_body).toContain("Message from the organizers: Welcome aboard");
    expect((await releaseDecisions(t.db, { conveningId, organizerId, fingerprint: (await releasePreview(t.db, conveningId)).fingerprint, now: OPEN })).released).toBe(0);
    expect(await mails("proposal-accepted")).toHaveLength(2);

    const row = await t.db.selectFrom("proposals").selectAll().where("id", "=", p.id).executeTakeFirstOrThrow();
    expect(row.status).toBe("accepted");
    await t.db.transaction().execute(async (trx) => {
      expect(await reject(setProposalState(trx, row, "draft", { actorId: organizerId, now: OPEN }))).toBe("409 invalid_transition");
      expect(await reject(setProposalState(trx, row, "declined", { actorId: organizerId, now: OPEN }))).toBe("409 invalid_transition");
    });
    expect(await reject(decideProposals(t.db, { conveningId, organizerId, ids: [p.id], decision: "declined", now: OPEN }))).toBe("409 invalid_transition");
    expect(TRANSITIONS.withdrawn).toEqual([]);

    const audit = await t.db.selectFrom("audit_log").select(["action", "details"]).where("subject_type", "=", "proposal").where("subject_id", "=", p.id).where("action", "in", ["proposal.state_changed", "proposal.released"]).orderBy("id").execute();
    expect(audit.map((a) => [a.action, JSON.parse(a.details).to])).toEqual([
      ["proposal.state_changed", "submitted"],
      ["proposal.state_changed", "pending_accepted"],
      ["proposal.state_changed", "pending_declined"],
      ["proposal.state_changed", "pending_accepted"],
      ["proposal.released", "accepted"],
    ]);
  });

  it("confirms an accepted session once every facilitator is registered, and withdraws on request", async () => {
    await updateRegistrationSettings(t.db, { conveningId, organizerId, opensAt: "2020-01-01T00:00:00.000Z", closesAt: null, capacity: null, approvalRequired: false });
    const ana = await someone("Ana");
    const p = await createProposal(t.db, { conveningId, proposerId: ana.id, answers: answers(), submit: true, now: OPEN });
    await decideProposals(t.db, { conveningId, organizerId, ids: [p.id], decision: "accepted", now: OPEN });
    await releaseDecisions(t.db, { conveningId, organizerId, fingerprint: (await releasePreview(t.db, conveningId)).fingerprint, now: OPEN });
    expect((await t.db.selectFrom("proposals").select("status").where("id", "=", p.id).executeTakeFirstOrThrow()).status).toBe("accepted");
    await submitRegistration(t.db, { conveningId, personId: ana.id, answers: { displayName: "Ana", attendance: "in_person", tracks: [tracks[0]!], languages: [], interpretation: [], accessNeeds: [], consentDirectory: false, consentContact: false, consentPhotos: false } });
    expect(await confirmReadyProposals(t.db, conveningId, OPEN)).toBe(1);
    expect((await t.db.selectFrom("proposals").select("status").where("id", "=", p.id).executeTakeFirstOrThrow()).status).toBe("confirmed");
    await withdrawProposal(t.db, { conveningId, proposalId: p.id, personId: ana.id, now: OPEN });
    expect((await t.db.selectFrom("proposals").select("status").where("id", "=", p.id).executeTakeFirstOrThrow()).status).toBe("withdrawn");
  });

  it("shows reviewers the proposals of their tracks, never their own organization's or one they facilitate, and hides names when anonymised", async () => {
    await updateCfpSettings(t.db, { conveningId, organizerId, opensAt: "2027-01-01T00:00:00.000Z", closesAt: "2027-03-01T00:00:00.000Z", formats: ["workshop", "panel"], lengths: [60, 90], reviewAnonymous: true, interestOpen: false });
    const c1 = await addCriterion(t.db, { conveningId, organizerId, name: "Relevance", description: null, weight: 3 });
    const c2 = await addCriterion(t.db, { conveningId, organizerId, name: "Cross-track value", description: null, weight: 1 });
    const rita = await someone("Rita", "Same Org");
    await assignReviewer(t.db, { conveningId, organizerId, email: rita.email, trackId: tracks[0]! });
    const colleague = await someone("Colleague", "Same Org");
    const outsider = await someone("Outsider", "Other Org");
    const ownOrg = await createProposal(t.db, { conveningId, proposerId: colleague.id, answers: answers({ title: "From my organization" }), submit: true, now: OPEN });
    const fine = await createProposal(t.db, { conveningId, proposerId: outsider.id, answers: answers({ title: "Fine to review" }), submit: true, now: OPEN });
    const linked = await createProposal(t.db, { conveningId, proposerId: outsider.id, answers: answers({ title: "Linked to my track", primaryTrack: tracks[2]!, linkedTracks: [tracks[0]!] }), submit: true, now: OPEN });
    await createProposal(t.db, { conveningId, proposerId: outsider.id, answers: answers({ title: "Other track", primaryTrack: tracks[3]! }), submit: true, now: OPEN });
    await createProposal(t.db, { conveningId, proposerId: outsider.id, answers: { title: "A draft" }, submit: false, now: OPEN });
    const ritas = await createProposal(t.db, { conveningId, proposerId: rita.id, answers: answers({ title: "My own" }), submit: true, now: OPEN });

    const reviewer = (await reviewerFor(t.db, conveningId, rita.id))!;
    expect((await listForReviewer(t.db, conveningId, reviewer)).map((p) => p.title)).toEqual(["Fine to review", "Linked to my track"]);
    expect(await proposalForReviewer(t.db, conveningId, ownOrg.id, reviewer)).toBeUndefined();
    expect(await proposalForReviewer(t.db, conveningId, ritas.id, reviewer)).toBeUndefined();
    expect(await reject(saveReview(t.db, { conveningId, proposalId: ownOrg.id, reviewer, scores: { [c1]: 5, [c2]: 5 }, comment: null }))).toBe("404 not_found");
    expect(await reject(saveReview(t.db, { conveningId, proposalId: fine.id, reviewer, scores: { [c1]: 6, [c2]: 5 }, comment: null }))).toBe("400 incomplete");
    expect(await reject(saveReview(t.db, { conveningId, proposalId: fine.id, reviewer, scores: { [c1]: 4 }, comment: null }))).toBe("400 incomplete");
    expect(await t.db.selectFrom("reviews").select("id").execute()).toEqual([]);

    await saveReview(t.db, { conveningId, proposalId: fine.id, reviewer, scores: { [c1]: 4, [c2]: 2 }, comment: "Good" });
    await saveReview(t.db, { conveningId, proposalId: fine.id, reviewer, scores: { [c1]: 5, [c2]: 1 }, comment: "Better" });
    const second = await someone("Second", "Third Org");
    await assignReviewer(t.db, { conveningId, organizerId, email: second.email, trackId: tracks[0]! });
    await saveReview(t.db, { conveningId, proposalId: fine.id, reviewer: (await reviewerFor(t.db, conveningId, second.id))!, scores: { [c1]: 2, [c2]: 2 }, comment: "" });
    await saveReview(t.db, { conveningId, proposalId: linked.id, reviewer, scores: { [c1]: 3, [c2]: 5 }, comment: "" });

    const ranking = await rankProposals(t.db, conveningId, {});
    // (5·3 + 1·1)/4 = 4 and (2·3 + 2·1)/4 = 2: mean 3, spread 2; (3·3 + 5·1)/4 = 3.5.
    expect(ranking.map((r) => [r.title, r.reviews, r.score, r.spread])).toEqual([
      ["Linked to my track", 1, 3.5, 0],
      ["Fine to review", 2, 3, 2],
      ["From my organization", 0, null, null],
      ["Other track", 0, null, null],
      ["My own", 0, null, null],
    ]);
    expect((await rankProposals(t.db, conveningId, { track: tracks[2] })).map((r) => r.title)).toEqual(["Linked to my track"]);
    expect((await rankProposals(t.db, conveningId, { format: "panel" })).map((r) => r.title)).toEqual([]);
  });

  it("lets registered participants mark accepted sessions, counts interest, and shows the balance of the accepted set", async () => {
    await updateRegistrationSettings(t.db, { conveningId, organizerId, opensAt: "2020-01-01T00:00:00.000Z", closesAt: null, capacity: null, approvalRequired: false });
    const ana = await someone("Ana");
    await t.db.updateTable("people").set({ constituency: "sex_worker_or_community_member" }).where("id", "=", ana.id).execute();
    const viewer = await someone("Viewer");
    const stranger = await someone("Stranger");
    await submitRegistration(t.db, { conveningId, personId: viewer.id, answers: { displayName: "Viewer", attendance: "remote", tracks: [tracks[0]!], languages: [], interpretation: [], accessNeeds: [], consentDirectory: false, consentContact: false, consentPhotos: false } });
    const a = await createProposal(t.db, { conveningId, proposerId: ana.id, answers: answers({ title: "Accepted one", linkedTracks: [tracks[1]!] }), submit: true, now: OPEN });
    const s = await createProposal(t.db, { conveningId, proposerId: ana.id, answers: answers({ title: "Still submitted" }), submit: true, now: OPEN });
    await decideProposals(t.db, { conveningId, organizerId, ids: [a.id], decision: "accepted", now: OPEN });
    expect(await reject(setInterest(t.db, { conveningId, personId: viewer.id, proposalId: a.id, interested: true }))).toBe("404 not_found");
    await releaseDecisions(t.db, { conveningId, organizerId, fingerprint: (await releasePreview(t.db, conveningId)).fingerprint, now: OPEN });

    await setInterest(t.db, { conveningId, personId: viewer.id, proposalId: a.id, interested: true });
    await setInterest(t.db, { conveningId, personId: viewer.id, proposalId: a.id, interested: true });
    expect(await reject(setInterest(t.db, { conveningId, personId: viewer.id, proposalId: s.id, interested: true }))).toBe("404 not_found");
    expect(await reject(setInterest(t.db, { conveningId, personId: stranger.id, proposalId: a.id, interested: true }))).toBe("403 not_registered");
    // Opened early, submitted proposals can be marked too.
    await t.db.updateTable("convenings").set({ interest_open: 1 }).where("id", "=", conveningId).execute();
    await setInterest(t.db, { conveningId, personId: viewer.id, proposalId: s.id, interested: true });
    await t.db.updateTable("convenings").set({ interest_open: 0 }).where("id", "=", conveningId).execute();

    const sessions = await listSessions(t.db, conveningId, false, viewer.id);
    expect(sessions.map((x) => [x.title, x.marked, x.facilitators, x.trackIds.length])).toEqual([["Accepted one", true, ["Ana"], 2]]);
    const ranking = await rankProposals(t.db, conveningId, {});
    expect(ranking.map((r) => [r.title, r.interest])).toEqual([["Accepted one", 1], ["Still submitted", 1]]);
    await setInterest(t.db, { conveningId, personId: viewer.id, proposalId: a.id, interested: false });
    expect((await rankProposals(t.db, conveningId, { status: "accepted" })).map((r) => r.interest)).toEqual([0]);

    expect(await acceptedBalance(t.db, conveningId)).toEqual({
      byTrack: [{ trackId: tracks[0], count: 1 }],
      byConstituency: [{ constituency: "sex_worker_or_community_member", count: 1 }],
      crossTrack: 1,
    });
  });
});
