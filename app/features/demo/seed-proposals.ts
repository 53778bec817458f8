// The demo's call for proposals: criteria, a reviewer per track, 40 proposals (several linking
// tracks), reviews, released decisions and participants' interest marks — all through the
// domain functions.
import type { SessionFormat } from "../../../db/schema";
import { createProposal } from "../../modules/proposals/authoring.server";
import { decideProposals, releaseDecisions, releasePreview } from "../../modules/proposals/decisions.server";
import { respondToInvitation } from "../../modules/proposals/invitations.server";
import { listForReviewer, reviewerFor, saveReview } from "../../modules/proposals/review.server";
import { addCriterion, assignReviewer, updateCfpSettings } from "../../modules/proposals/settings.server";
import { setInterest } from "../../modules/proposals/sessions.server";
import type { DB } from "../../platform/db.server";
import { random } from "../../lib/random";

const IDEAS: Array<[track: number, title: string, abstract: string, linked: number[]]> = [
  [0, "Decriminalisation campaigns: what worked in 2026", "Campaigners from three countries compare strategies, coalitions and setbacks on the road to decriminalising sex work.", []],
  [0, "Sex worker-led research ethics", "How to make research with sex workers safe, paid and accountable to the community it studies.", [2]],
  [0, "Digital safety for sex workers", "Hands-on skill-share on screening tools, payment platforms and account bans.", []],
  [0, "Migrant sex workers and police raids", "Documenting the impact of 'anti-trafficking' raids on migrant sex workers and organising rapid response.", [1, 4]],
  [0, "Labour rights in the adult industry", "Contracts, unions and collective bargaining for workers in studios, clubs and online.", [4]],
  [0, "Media training: telling our own stories", "A workshop for sex workers who speak to journalists: framing, consent and safety.", []],
  [0, "Sex worker caucus", "A closed caucus for sex workers to set priorities for the year ahead.", []],
  [1, "Survivor-centred anti-trafficking policy", "Survivors and advocates discuss what protection means without criminalising sex work.", [0]],
  [1, "Supply-chain trafficking beyond the sex industry", "Agriculture, fishing and domestic work: where trafficking actually happens and who is left out.", [4]],
  [1, "Evaluating anti-trafficking funding", "Donors and grantees look at what anti-trafficking money funds, and the harm it can do.", []],
  [1, "Trafficking survivors and immigration relief", "Legal clinics share what works in securing status for survivors.", [4]],
  [1, "Roundtable: the Palermo Protocol at 25", "Where the definition of trafficking helped, and where it has been used against migrants and sex workers.", []],
  [1, "Language of trafficking in the news", "Analysing press coverage and building better guidance for journalists.", [0]],
  [2, "PrEP access for sex workers", "Service providers and community health workers on barriers to PrEP and how to remove them.", [0]],
  [2, "Criminalisation and HIV outcomes", "Researchers present new evidence linking criminal laws to HIV risk.", [0, 3]],
  [2, "Community-led HIV testing", "Peer testing models from five cities: training, quality and funding.", []],
  [2, "HIV and migrant health coverage", "Closing the gaps in treatment for people without secure immigration status.", [4]],
  [2, "Undetectable = untransmittable in practice", "Bringing U=U into law reform, clinics and community education.", []],
  [2, "Harm reduction and chemsex", "A skill-share on harm reduction services for people who use drugs in sexual contexts.", [3]],
  [2, "Funding cuts and HIV services", "What the latest donor cuts mean and how coalitions are responding.", []],
  [3, "Trans sex workers' rights", "Trans sex workers lead a discussion on violence, health and legal gender recognition.", [0, 2]],
  [3, "LGBTQ asylum seekers", "Legal and community support for LGBTQ people seeking asylum.", [4]],
  [3, "Anti-LGBTQ laws and public health", "How anti-LGBTQ legislation affects HIV and sexual health services.", [2]],
  [3, "Queer organising across borders", "Building solidarity networks that survive repression.", []],
  [3, "Panel: Pride, policing and sex work", "Who is welcome at Pride, and what it means for sex workers and trans communities.", [0]],
  [3, "Safe spaces in hostile contexts", "Security practices for LGBTQ organisations working under threat.", []],
  [4, "Domestic workers organising", "Lessons from domestic workers' unions on organising isolated, migrant workers.", [1]],
  [4, "Labour inspections without deportations", "Firewalls between labour protection and immigration enforcement.", [1, 0]],
  [4, "Temporary visas and worker exploitation", "How tied visas create conditions for abuse, and what reform looks like.", [1]],
  [4, "Migrant workers' access to justice", "Legal aid models for workers with insecure status.", []],
  [4, "Workshop: know your rights at work", "A participatory workshop to build know-your-rights materials in many languages.", []],
  [4, "Climate migration and labour", "How climate displacement changes labour migration and rights advocacy.", []],
  [4, "Platform work and migrant labour", "Delivery and care platforms, algorithmic management and organising.", [0]],
  [5, "Abortion access across borders", "Networks helping people travel for abortion care, and the legal risks they face.", []],
  [5, "Reproductive health for sex workers", "Contraception, pregnancy and parenting: what sex workers need from services.", [0, 2]],
  [5, "Reproductive justice and migration", "Pregnant migrants, detention and access to care.", [4]],
  [5, "Self-managed abortion and the law", "Legal strategies to protect people who self-manage abortion.", []],
  [5, "Youth sexual health education", "Rights-based sexuality education that includes LGBTQ young people.", [3]],
  [5, "Bodily autonomy as a common frame", "Can one frame unite sex work, abortion and LGBTQ rights advocacy? A roundtable.", [0, 3]],
  [5, "Plenary: one movement, six tracks", "Closing plenary on joint action across all six tracks for the year ahead.", [0, 1, 2, 3, 4]],
];

const FORMATS: SessionFormat[] = ["workshop", "panel", "roundtable", "caucus", "skill_share", "plenary"];

export async function seedProposals(
  db: DB,
  input: { conveningId: number; organizerId: number; people: Array<{ id: number; email: string }>; trackIds: number[]; now: Date },
): Promise<{ proposals: number; accepted: number }> {
  const { conveningId, organizerId, people, trackIds, now } = input;
  await updateCfpSettings(db, {
    conveningId,
    organizerId,
    opensAt: new Date(now.getTime() - 45 * 86_400_000).toISOString(),
    closesAt: new Date(now.getTime() + 20 * 86_400_000).toISOString(),
    formats: FORMATS,
    lengths: [60, 90],
    reviewAnonymous: false,
    interestOpen: false,
    now,
  });
  const criteria = [
    await addCriterion(db, { conveningId, organizerId, name: "Relevance to rights-based advocacy", description: "Does it move a rights-based agenda forward?", weight: 3 }),
    await addCriterion(db, { conveningId, organizerId, name: "Cross-track value", description: "Does it connect issues and people across tracks?", weight: 2 }),
    await addCriterion(db, { conveningId, organizerId, name: "Leadership of people with lived experience", description: "Are people with lived experience leading it?", weight: 3 }),
  ];

  // One reviewer per track, from the participants; their own organization's proposals are never theirs to review.
  const reviewers = people.slice(40, 46);
  for (const [i, reviewer] of reviewers.entries()) {
    await assignReviewer(db, { conveningId, organizerId, email: reviewer.email, trackId: trackIds[i]!, now });
  }

  const proposalIds: number[] = [];
  for (const [i, [track, title, abstract, linked]] of IDEAS.entries()) {
    const proposer = people[(i * 3) % 38]!;
    const coFacilitator = i % 4 === 1 ? people[(i * 3 + 7) % 38]! : null;
    const format: SessionFormat = title.startsWith("Plenary") ? "plenary" : title.startsWith("Panel") ? "panel" : title.startsWith("Roundtable") ? "roundtable" : title.startsWith("Workshop") || title.includes("training") ? "workshop" : title.includes("caucus") ? "caucus" : FORMATS[i % 5]!;
    const proposal = await createProposal(db, {
      conveningId,
      proposerId: proposer.id,
      submit: true,
      now: new Date(now.getTime() - (40 - i) * 86_400_000),
      answers: {
        title,
        abstract,
        description: `${abstract} The session runs in three parts: short inputs, small-group work, and agreeing on next steps for joint action.`,
        format,
        length: format === "plenary" || i % 3 === 0 ? 90 : 60,
        primaryTrack: trackIds[track]!,
        linkedTracks: linked.map((l) => trackIds[l]!),
        languages: i % 5 === 2 ? ["English", "Español"] : ["English"],
        audienceSize: 15 + ((i * 7) % 40),
        needs: [...(i % 3 === 0 ? (["projector"] as const) : []), ...(i % 5 === 2 ? (["interpretation"] as const) : []), ...(i % 7 === 4 ? (["step_free"] as const) : [])],
        coFacilitators: coFacilitator ? [coFacilitator.email] : [],
      },
    });
    proposalIds.push(proposal.id);
    if (coFacilitator) {
      // The invitation's link holds the token; the demo co-facilitator follows it.
      const mail = await db
        .selectFrom("mail_outbox")
        .select("text_body")
        .where("template", "=", "facilitator-invitation")
        .where("to_address", "=", coFacilitator.email)
        .orderBy("id", "desc")
        .executeTakeFirstOrThrow();
      const token = /invitations\/([A-Za-z0-9_-]+)/.exec(mail.text_body)![1]!;
      await respondToInvitation(db, { token, personId: coFacilitator.id, accept: true, now });
    }
  }

  for (const reviewer of reviewers) {
    const context = await reviewerFor(db, conveningId, reviewer.id);
    if (!context) continue;
    for (const item of await listForReviewer(db, conveningId, context)) {
      const seed = item.id * 7 + reviewer.id;
      const scores = Object.fromEntries(criteria.map((c, k) => [c, 1 + ((seed + k * 3) % 5)]));
      await saveReview(db, { conveningId, proposalId: item.id, reviewer: context, scores, comment: seed % 3 === 0 ? "Strong, clear aims." : "", now });
    }
  }

  // Decisions: most accepted, some waitlisted or declined, the newest still under review.
  const accepted = proposalIds.filter((_, i) => i % 10 < 6 || i === IDEAS.length - 1);
  const waitlisted = proposalIds.filter((_, i) => i % 10 === 6 && i !== IDEAS.length - 1);
  const declined = proposalIds.filter((_, i) => i % 10 === 7 && i !== IDEAS.length - 1);
  await decideProposals(db, { conveningId, organizerId, ids: accepted, decision: "accepted", now });
  await decideProposals(db, { conveningId, organizerId, ids: waitlisted, decision: "waitlisted", now });
  await decideProposals(db, { conveningId, organizerId, ids: declined, decision: "declined", message: "We had many strong proposals on this theme.", now });
  await releaseDecisions(db, { conveningId, organizerId, fingerprint: (await releasePreview(db, conveningId)).fingerprint, now });

  // Each participant marks four to eight accepted sessions, drawn at random but mostly popular ones.
  const rnd = random(2027);
  const weight = accepted.map((_, i) => 1 / (1 + (i % 7)));
  const total = weight.reduce((a, b) => a + b, 0);
  for (const [i, person] of people.entries()) {
    const count = 4 + (i % 5);
    const chosen = new Set<number>();
    while (chosen.size < count) {
      let r = rnd() * total;
      let k = 0;
      while (r > weight[k]! && k < accepted.length - 1) r -= weight[k++]!;
      chosen.add(accepted[k]!);
    }
    for (const proposalId of chosen) {
      await setInterest(db, { conveningId, personId: person.id, proposalId, interested: true, now }).catch(() => undefined);
    }
  }
  return { proposals: proposalIds.length, accepted: accepted.length };
}
