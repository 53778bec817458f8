// The call for proposals end to end: a participant proposes a session and invites a
// co-facilitator, reviewers score it (anonymised, and never from the proposer's own
// organization), organizers decide and release, and registered participants mark the sessions
// they want to attend — in Chromium against the real server, with mail to a real SMTP server,
// plus the refusals a hand-made request meets.
import type { AddressObject, ParsedMail } from "mailparser";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createSession } from "../../app/modules/auth/session.server";
import { deliverDueMail } from "../../app/platform/mail/sender.server";
import { smtpTransport } from "../../app/platform/mail/transport.server";
import { createProposal } from "../../app/modules/proposals/authoring.server";
import { decideProposals, releaseDecisions, releasePreview } from "../../app/modules/proposals/decisions.server";
import { reviewerFor, saveReview } from "../../app/modules/proposals/review.server";
import { setInterest } from "../../app/modules/proposals/sessions.server";
import { addCriterion, assignReviewer, updateCfpSettings } from "../../app/modules/proposals/settings.server";
import { sha256 } from "../../app/platform/crypto.server";
import { openDatabase, type DB } from "../../app/platform/db.server";
import { startApp, type RunningApp } from "../setup/app-server";
import { expectAccessible, launchBrowser, openPage, SETTLED, visible, waitForHydration, type WatchedPage } from "../setup/browser";
import { signInAs } from "../setup/flows";
import { convening, person, proposal, registration, unique } from "../factories";
import { startSmtpSink, type SmtpSink } from "../setup/smtp";

const TITLE = "Safety planning without the police";
const ABSTRACT = "How outreach teams and community members plan for safety together, from first contact to follow-up.";
const OTHER_TITLE = "Health services that do not judge";
const DAY = 24 * 60 * 60 * 1000;

describe("the call for proposals", () => {
  let smtp: SmtpSink;
  let app: RunningApp;
  let browser: Browser;
  let db: DB;

  // Each test has a convening of its own (made before it by beforeEach), in the one server.
  let slug: string;
  let conveningId: number;
  let trackId: (name: string) => number;
  /** the test's people's addresses, by lower-case name */
  let mail: Record<string, string>;
  let criteria: { relevance: number; lived: number };
  let organizer: number;
  let zelda: number; // the proposer
  let quill: number; // the co-facilitator she invites
  let rowan: number; // a reviewer of the sex work track
  let casey: number; // a reviewer of the same track, from Zelda's organization
  let mira: number; // proposer of a second session, from another organization
  let ash: number; // a registered participant
  let olive: number; // signed in, not registered
  let proposalId = 0; // Zelda's proposal, made in the browser
  let otherProposalId: number; // Mira's proposal, made through the domain function
  const opened: WatchedPage[] = [];

  let cfp = { reviewAnonymous: false, interestOpen: false, open: true };
  async function setCfp(change: Partial<typeof cfp>) {
    Object.assign(cfp, change);
    await updateCfpSettings(db, {
      conveningId,
      organizerId: organizer,
      opensAt: new Date(Date.now() - DAY).toISOString(),
      closesAt: cfp.open ? new Date(Date.now() + 30 * DAY).toISOString() : new Date(Date.now() - 60_000).toISOString(),
      formats: ["workshop", "panel", "roundtable"],
      lengths: [60, 90],
      reviewAnonymous: cfp.reviewAnonymous,
      interestOpen: cfp.interestOpen,
    });
  }

  /** Zelda's proposal as the first test makes it in the browser, with Quill as co-facilitator. */
  async function zeldasProposal() {
    proposalId = (
      await proposal(db, {
        conveningId,
        proposerId: zelda,
        facilitators: [quill],
        answers: {
          title: TITLE,
          abstract: ABSTRACT,
          description: "Two hours of shared practice for outreach workers and peers.",
          format: "workshop",
          length: 90,
          primaryTrack: trackId("Sex work"),
          linkedTracks: [trackId("Migrant and labor rights")],
          languages: ["English", "Español"],
          needs: ["interpretation"],
        },
      })
    ).id;
  }
  /** Rowan's review of it, as the reviewing test saves it, and the anonymised review it turns on. */
  async function rowansReview() {
    const reviewer = (await reviewerFor(db, conveningId, rowan))!;
    await saveReview(db, { conveningId, proposalId, reviewer, scores: { [criteria.relevance]: 4, [criteria.lived]: 5 }, comment: "Clear plan, led by peers." });
    await setCfp({ reviewAnonymous: true });
  }
  /** Both proposals accepted and released, as the organizer does in the deciding test. */
  async function bothAccepted() {
    await decideProposals(db, { conveningId, organizerId: organizer, ids: [proposalId, otherProposalId], decision: "accepted" });
    await releaseDecisions(db, { conveningId, organizerId: organizer, fingerprint: (await releasePreview(db, conveningId)).fingerprint });
  }

  async function signedInPage(personId: number): Promise<WatchedPage> {
    const watched = await openPage(browser);
    await signInAs(watched.context, db, app.url, personId);
    opened.push(watched);
    return watched;
  }

  /** Waits until exactly one mail with this subject has reached this address, and returns it. */
  async function mailTo(address: string, subject: string): Promise<ParsedMail> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const found = smtp.messages.filter((m) => (m.to as AddressObject).text === address && m.subject === subject);
      if (found.length > 1) throw new Error(`${found.length} mails "${subject}" to ${address}`);
      if (found.length === 1) return found[0]!;
      if (Date.now() > deadline) throw new Error(`no mail "${subject}" to ${address}; got: ${smtp.messages.map((m) => `${(m.to as AddressObject).text} ${m.subject}`).join("; ")}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async function count(table: "proposals" | "reviews" | "review_scores" | "interests" | "facilitators" | "mail_outbox") {
    const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  // A hand-made client: a session cookie, plus the anti-forgery cookie and token from a page.
  interface Client {
    cookie: string;
    csrf: string;
  }
  async function client(personId: number): Promise<Client> {
    const session = (await createSession(db, personId)).split(";")[0]!;
    const response = await fetch(`${app.url}/convenings/${slug}/proposals`, { headers: { Cookie: session }, redirect: "manual" });
    expect(response.status).toBe(200);
    const csrfCookie = response.headers.getSetCookie().find((c) => c.startsWith("convene_csrf="))!.split(";")[0]!;
    const csrf = /name="csrf" value="([^"]+)"/.exec(await response.text())![1]!;
    return { cookie: `${session}; ${csrfCookie}`, csrf };
  }
  async function post(from: Client, path: string, fields: Array<[string, string]>) {
    const response = await fetch(`${app.url}${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: from.cookie },
      body: new URLSearchParams([["csrf", from.csrf], ...fields]),
      redirect: "manual",
    });
    return { status: response.status, location: response.headers.get("location"), html: await response.text() };
  }
  const completeProposal = (over: Record<string, string> = {}): Array<[string, string]> =>
    Object.entries({
      intent: "submit",
      title: "A hand-made proposal",
      abstract: "Sent without the form.",
      description: "",
      format: "workshop",
      length: "60",
      primaryTrack: String(trackId("Sex work")),
      languages: "English",
      audienceSize: "",
      coFacilitators: "",
      ...over,
    });

  beforeAll(async () => {
    smtp = await startSmtpSink();
    app = await startApp({ env: { SMTP_URL: smtp.url } });
    browser = await launchBrowser();
    db = openDatabase(app.databaseUrl);
  });

  beforeEach(async () => {
    slug = `strategy-meeting-2027-${unique()}`;
    organizer = (await person(db, { name: "Organizing team" })).id;
    const made = await convening(db, { slug, title: "Strategy Meeting 2027", startsOn: "2027-06-01", endsOn: "2027-06-03", timeZone: "Europe/Lisbon", organizerId: organizer, registration: {} });
    conveningId = made.id;
    trackId = made.track;
    cfp = { reviewAnonymous: false, interestOpen: false, open: true };
    await setCfp({});
    criteria = {
      relevance: await addCriterion(db, { conveningId, organizerId: organizer, name: "Relevance", description: "Does it serve the working group's plans?", weight: 2 }),
      lived: await addCriterion(db, { conveningId, organizerId: organizer, name: "Lived experience", description: null, weight: 1 }),
    };

    const people = {
      zelda: await person(db, { name: "Zelda", fullName: "Zelda Secretsurname", organization: "Night Owls Collective" }),
      quill: await person(db, { name: "Quill", fullName: "Quill Hiddenname", organization: "Harbour Health Project" }),
      rowan: await person(db, { name: "Rowan", fullName: "Rowan Reviewer", organization: "Lighthouse Research Institute" }),
      casey: await person(db, { name: "Casey", fullName: "Casey Colleague", organization: "Night Owls Collective" }),
      mira: await person(db, { name: "Mira", fullName: "Mira Otherperson", organization: "Red Thread Alliance" }),
      ash: await person(db, { name: "Ash", fullName: "Ash Attendee" }),
      olive: await person(db, { name: "Olive", fullName: "Olive Outsider" }),
    };
    mail = Object.fromEntries(Object.entries(people).map(([name, p]) => [name, p.email]));
    ({ zelda, quill, rowan, casey, mira, ash, olive } = Object.fromEntries(Object.entries(people).map(([name, p]) => [name, p.id])) as Record<keyof typeof people, number>);
    for (const email of [mail.rowan!, mail.casey!]) {
      await assignReviewer(db, { conveningId, organizerId: organizer, email, trackId: trackId("Sex work") });
    }

    await registration(db, { conveningId, personId: ash, status: "confirmed", answers: { displayName: "Ash", tracks: [trackId("Sex work")], languages: ["English"] } });

    proposalId = 0;
    otherProposalId = (
      await proposal(db, {
        conveningId,
        proposerId: mira,
        answers: {
          title: OTHER_TITLE,
          abstract: "Clinics and outreach that people trust.",
          description: "A panel of service providers.",
          format: "panel",
          length: 60,
          primaryTrack: trackId("Sex work"),
          linkedTracks: [trackId("HIV/AIDS")],
          languages: ["English"],
          needs: [],
          coFacilitators: [],
        },
      })
    ).id;
  });

  afterAll(async () => {
    for (const watched of opened) await watched.context.close();
    await db?.destroy();
    await browser?.close();
    await app?.stop();
    await smtp?.stop();
    expect(app.stderr()).toBe("");
  });

  it("lets a participant save a draft, submit it and invite a co-facilitator, who accepts from the mail", async () => {
    const { page } = await signedInPage(zelda);
    await page.goto(`${app.url}/convenings/${slug}/proposals`);
    await waitForHydration(page);
    await visible(page.getByRole("heading", { level: 1, name: "Propose a session" }));
    await expect.poll(() => page.getByText("You have no proposals for this convening yet.").count(), SETTLED).toBe(1);
    await expectAccessible(page);
    await page.getByRole("link", { name: "Propose a session" }).click();
    await page.waitForURL(`${app.url}/convenings/${slug}/proposals/new`);
    await visible(page.getByLabel("Title", { exact: true }));
    await expectAccessible(page);

    await page.getByLabel("Title", { exact: true }).fill(TITLE);
    await page.getByLabel("Short abstract").fill(ABSTRACT);
    await page.getByLabel("Description", { exact: true }).fill("Two hours of shared practice for outreach workers and peers.");
    await page.getByLabel("Format", { exact: true }).selectOption({ label: "Workshop" });
    await page.getByRole("radio", { name: "90 minutes" }).check();
    await page.getByLabel("Main track").selectOption({ label: "Sex work" });
    await page.getByRole("checkbox", { name: "Migrant and labor rights" }).check();
    await page.getByLabel("Language(s) of the session").fill("English, Español");
    await page.getByRole("checkbox", { name: "Interpretation" }).check();
    // Written with capitals: the address is stored as it is normalised.
    await page.getByLabel("Co-facilitators to invite").fill(mail.quill!.replace(/^q/, "Q").replace("@example.org", "@Example.org"));
    await page.getByRole("button", { name: "Save as draft" }).click();
    await page.waitForURL((url) => new RegExp(`^/convenings/${slug}/proposals/\\d+$`).test(url.pathname) && url.searchParams.get("done") === "saved");
    proposalId = Number(/\/proposals\/(\d+)\?/.exec(page.url())![1]);
    await visible(page.getByRole("heading", { level: 1, name: TITLE }));
    await expect.poll(() => page.locator(".notice strong").textContent(), SETTLED).toBe("Draft");
    await expect.poll(() => page.getByRole("status").textContent(), SETTLED).toBe("Saved.");
    await expectAccessible(page);
    expect(await db.selectFrom("proposals").select("status").where("id", "=", proposalId).executeTakeFirstOrThrow()).toEqual({ status: "draft" });

    await page.getByRole("link", { name: "Edit proposal" }).click();
    await page.waitForURL(`${app.url}/convenings/${slug}/proposals/${proposalId}/edit`);
    await visible(page.getByRole("heading", { level: 1, name: "Edit your proposal" }));
    // The form comes back as it was saved.
    await expect.poll(() => page.getByLabel("Title", { exact: true }).inputValue(), SETTLED).toBe(TITLE);
    await expect.poll(() => page.getByLabel("Format", { exact: true }).inputValue(), SETTLED).toBe("workshop");
    await expect.poll(() => page.getByLabel("Main track").inputValue(), SETTLED).toBe(String(trackId("Sex work")));
    await expect.poll(() => page.getByRole("radio", { name: "90 minutes" }).isChecked(), SETTLED).toBe(true);
    await expect.poll(() => page.getByRole("checkbox", { name: "Migrant and labor rights" }).isChecked(), SETTLED).toBe(true);
    await expect.poll(() => page.getByLabel("Language(s) of the session").inputValue(), SETTLED).toBe("English, Español");
    await expect.poll(() => page.getByLabel("Co-facilitators to invite").inputValue(), SETTLED).toBe(mail.quill!);
    await expectAccessible(page);
    await page.getByRole("button", { name: "Submit proposal" }).click();
    await page.waitForURL((url) => url.pathname === `/convenings/${slug}/proposals/${proposalId}` && url.searchParams.get("done") === "submitted");
    await visible(page.getByText("Your proposal is submitted. We have emailed you a confirmation."));
    await expect.poll(() => page.locator(".notice strong").textContent(), SETTLED).toBe("Submitted");
    await expectAccessible(page);

    const received = await mailTo(mail.zelda!, `We received your proposal "${TITLE}"`);
    expect(received.text).toContain(`Thank you for proposing "${TITLE}" for Strategy Meeting 2027.`);
    const invitation = await mailTo(mail.quill!, `Invitation to facilitate "${TITLE}"`);
    expect(invitation.text).toContain(`Zelda invites you to facilitate the session "${TITLE}" at Strategy Meeting 2027.`);
    for (const body of [invitation.text ?? "", String(invitation.html)]) {
      expect(body).toContain("Zelda invites you");
      expect(body).not.toContain("Secretsurname");
      expect(body).not.toContain(mail.zelda!);
      expect(body).not.toContain("Night Owls Collective");
    }
    const link = /Answer the invitation: (\S+)/.exec(invitation.text ?? "")![1]!;
    const token = link.slice(`${app.url}/convenings/${slug}/invitations/`.length);
    expect(link).toBe(`${app.url}/convenings/${slug}/invitations/${token}`);
    expect(token).toMatch(/^[A-Za-z0-9_-]{40,}$/);

    const facilitators = () =>
      db.selectFrom("facilitators").select(["role", "person_id", "email", "status", "invite_token_hash"]).where("proposal_id", "=", proposalId).orderBy("id").execute();
    expect(await facilitators()).toEqual([
      { role: "proposer", person_id: zelda, email: null, status: "accepted", invite_token_hash: null },
      { role: "co", person_id: null, email: mail.quill!, status: "invited", invite_token_hash: sha256(token) },
    ]);

    // The co-facilitator, signed in as themselves, answers from the link in the mail.
    const co = await signedInPage(quill);
    await co.page.goto(link);
    await waitForHydration(co.page);
    await visible(co.page.getByRole("heading", { level: 1, name: "You are invited to facilitate a session" }));
    await expect.poll(() => co.page.getByText("Zelda invites you to facilitate this session at Strategy Meeting 2027:").count(), SETTLED).toBe(1);
    await expect.poll(() => co.page.getByRole("heading", { level: 2, name: TITLE }).count(), SETTLED).toBe(1);
    expect(await co.page.content()).not.toContain("Secretsurname");
    await expectAccessible(co.page);
    await co.page.getByRole("button", { name: "Accept", exact: true }).click();
    await co.page.waitForURL((url) => url.pathname === `/convenings/${slug}/proposals/${proposalId}` && url.searchParams.get("done") === "joined");
    await visible(co.page.getByRole("heading", { level: 1, name: TITLE }));
    await expect.poll(() => co.page.getByRole("status").textContent(), SETTLED).toBe("You are now a co-facilitator of this session.");
    await expect.poll(() => co.page.locator(".notice strong").textContent(), SETTLED).toBe("Submitted");
    await expect.poll(() => co.page.locator("h2:text-is('Facilitators') + ul > li").allTextContents(), SETTLED).toEqual(["Zelda — proposer", "Quill — co-facilitator"]);
    // Only the proposer edits.
    await expect.poll(() => co.page.getByRole("link", { name: "Edit proposal" }).count(), SETTLED).toBe(0);
    await expectAccessible(co.page);

    expect(
      await db
        .selectFrom("proposals")
        .select(["convening_id", "proposer_id", "status", "title", "abstract", "description", "format", "length_minutes", "primary_track_id", "languages", "audience_size", "needs", "decision_message"])
        .where("id", "=", proposalId)
        .executeTakeFirstOrThrow(),
    ).toEqual({
      convening_id: conveningId,
      proposer_id: zelda,
      status: "submitted",
      title: TITLE,
      abstract: ABSTRACT,
      description: "Two hours of shared practice for outreach workers and peers.",
      format: "workshop",
      length_minutes: 90,
      primary_track_id: trackId("Sex work"),
      languages: '["English","Español"]',
      audience_size: null,
      needs: '["interpretation"]',
      decision_message: null,
    });
    expect(await db.selectFrom("proposal_tracks").select(["track_id", "is_primary"]).where("proposal_id", "=", proposalId).orderBy("is_primary", "desc").execute()).toEqual([
      { track_id: trackId("Sex work"), is_primary: 1 },
      { track_id: trackId("Migrant and labor rights"), is_primary: 0 },
    ]);
    expect(await facilitators()).toEqual([
      { role: "proposer", person_id: zelda, email: null, status: "accepted", invite_token_hash: null },
      { role: "co", person_id: quill, email: null, status: "accepted", invite_token_hash: null },
    ]);
    expect(opened.flatMap((w) => w.errors)).toEqual([]);
  });

  it("shows what is missing next to each field with status 400, and stores nothing", async () => {
    const before = [await count("proposals"), await count("facilitators"), await count("mail_outbox")];
    const { page } = await signedInPage(olive);
    await page.goto(`${app.url}/convenings/${slug}/proposals/new`);
    await waitForHydration(page);
    await page.getByLabel("Title", { exact: true }).fill("Peer support for new arrivals");
    await page.getByRole("radio", { name: "60 minutes" }).check();
    const response = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname.startsWith(`/convenings/${slug}/proposals/new`));
    await page.getByRole("button", { name: "Submit proposal" }).click();
    expect((await response).status()).toBe(400);
    await visible(page.getByRole("alert"));
    await expect.poll(() => page.getByRole("alert").textContent(), SETTLED).toBe("Please correct the fields marked below.");
    await expect.poll(() => page.locator("#field-abstract-error").textContent(), SETTLED).toBe("This field is required.");
    await expect.poll(() => page.locator("#field-format-error").textContent(), SETTLED).toBe("Choose one of the formats on offer.");
    await expect.poll(() => page.locator("#field-primaryTrack-error").textContent(), SETTLED).toBe("Choose at least one track.");
    await expect.poll(() => page.locator(".field-error").count(), SETTLED).toBe(3);
    for (const [label, id] of [["Short abstract", "abstract"], ["Format", "format"], ["Main track", "primaryTrack"]] as const) {
      await expect.poll(() => page.getByLabel(label, { exact: true }).getAttribute("aria-invalid"), { ...SETTLED, message: label }).toBe("true");
      await expect.poll(() => page.getByLabel(label, { exact: true }).getAttribute("aria-describedby"), { ...SETTLED, message: label }).toContain(`field-${id}-error`);
    }
    // What was entered stays.
    await expect.poll(() => page.getByLabel("Title", { exact: true }).inputValue(), SETTLED).toBe("Peer support for new arrivals");
    await expect.poll(() => page.getByRole("radio", { name: "60 minutes" }).isChecked(), SETTLED).toBe(true);
    expect(page.url()).toBe(`${app.url}/convenings/${slug}/proposals/new`);
    await expectAccessible(page);
    expect([await count("proposals"), await count("facilitators"), await count("mail_outbox")]).toEqual(before);
    expect(opened.flatMap((w) => w.errors)).toEqual([]);
  });

  it("lets a reviewer of the track score every criterion, hides the proposer under anonymised review, and keeps the proposal from a reviewer of the proposer's organization", async () => {
    await zeldasProposal();
    const { page } = await signedInPage(rowan);
    const queue = () => page.locator("table tbody tr").evaluateAll((rows) => rows.map((row) => Array.from(row.querySelectorAll("td"), (td) => td.textContent)));
    await page.goto(`${app.url}/organize/${slug}/proposals`);
    await waitForHydration(page);
    await visible(page.getByRole("heading", { level: 1, name: "Review proposals: Strategy Meeting 2027" }));
    expect(await queue()).toEqual([
      [OTHER_TITLE, "Sex work", "Panel", "Not reviewed yet"],
      [TITLE, "Sex work", "Workshop", "Not reviewed yet"],
    ]);
    await expectAccessible(page);
    await page.getByRole("link", { name: TITLE }).click();
    await page.waitForURL(`${app.url}/organize/${slug}/proposals/${proposalId}`);
    await visible(page.getByRole("heading", { level: 1, name: TITLE }));
    // Without anonymised review a reviewer sees the facilitators by the names they chose, nothing more.
    await expect.poll(() => page.locator("dt:text-is('Facilitators') + dd").textContent(), SETTLED).toBe("Zelda, Quill");
    expect(await page.content()).not.toContain("Secretsurname");

    await page.getByRole("group", { name: "Relevance (weight 2)" }).getByRole("radio", { name: "4 – good" }).check();
    await page.getByRole("group", { name: "Lived experience (weight 1)" }).getByRole("radio", { name: "5 – excellent" }).check();
    await page.getByLabel("Comment").fill("Clear plan, led by peers.");
    await expectAccessible(page);
    await page.getByRole("button", { name: "Save review" }).click();
    await page.waitForURL(`${app.url}/organize/${slug}/proposals/${proposalId}?done=review`);
    await expect.poll(() => page.getByRole("status").textContent(), SETTLED).toBe("Your review is saved.");
    await expect.poll(() => page.getByRole("group", { name: "Relevance (weight 2)" }).getByRole("radio", { name: "4 – good" }).isChecked(), SETTLED).toBe(true);
    await expect.poll(() => page.getByRole("group", { name: "Lived experience (weight 1)" }).getByRole("radio", { name: "5 – excellent" }).isChecked(), SETTLED).toBe(true);
    await expectAccessible(page);

    const reviews = await db.selectFrom("reviews").select(["id", "proposal_id", "reviewer_id", "comment"]).where("proposal_id", "in", [proposalId, otherProposalId]).execute();
    expect(reviews).toEqual([{ id: reviews[0]!.id, proposal_id: proposalId, reviewer_id: rowan, comment: "Clear plan, led by peers." }]);
    expect(await db.selectFrom("review_scores").select(["review_id", "criterion_id", "score"]).where("review_id", "in", reviews.map((r) => r.id)).orderBy("criterion_id").execute()).toEqual([
      { review_id: reviews[0]!.id, criterion_id: criteria.relevance, score: 4 },
      { review_id: reviews[0]!.id, criterion_id: criteria.lived, score: 5 },
    ]);

    // Anonymised review: neither page, nor the data sent with it, says who proposed it.
    await setCfp({ reviewAnonymous: true });
    for (const path of [`/organize/${slug}/proposals`, `/organize/${slug}/proposals/${proposalId}`]) {
      await page.goto(`${app.url}${path}`);
      await waitForHydration(page);
      await visible(page.getByRole("link", { name: TITLE }).or(page.getByRole("heading", { level: 1, name: TITLE })));
      const html = await page.content();
      expect(html).toContain(TITLE);
      for (const secret of ["Zelda", "Secretsurname", "Night Owls Collective", mail.zelda!, "Quill", "Hiddenname", "Harbour Health Project", mail.quill!]) {
        expect(html, `${secret} on ${path}`).not.toContain(secret);
      }
      await expectAccessible(page);
    }
    await expect.poll(() => page.locator("dt:text-is('Facilitators') + dd").textContent(), SETTLED).toBe("Hidden for anonymised review");
    await page.getByRole("link", { name: "Back to all proposals" }).click();
    await page.waitForURL(`${app.url}/organize/${slug}/proposals`);
    await expect.poll(queue).toEqual([
      [OTHER_TITLE, "Sex work", "Panel", "Not reviewed yet"],
      [TITLE, "Sex work", "Workshop", "Reviewed"],
    ]);

    // A reviewer from the proposer's own organization never gets it.
    const colleague = await signedInPage(casey);
    await colleague.page.goto(`${app.url}/organize/${slug}/proposals`);
    await waitForHydration(colleague.page);
    await visible(colleague.page.getByRole("link", { name: OTHER_TITLE }));
    await expect.poll(() => colleague.page.locator("table tbody tr").evaluateAll((rows) => rows.map((row) => Array.from(row.querySelectorAll("td"), (td) => td.textContent))), SETTLED).toEqual([
      [OTHER_TITLE, "Sex work", "Panel", "Not reviewed yet"],
    ]);
    expect(await colleague.page.content()).not.toContain(TITLE);
    await expectAccessible(colleague.page);
    const response = await colleague.page.goto(`${app.url}/organize/${slug}/proposals/${proposalId}`);
    expect(response?.status()).toBe(404);
    await visible(colleague.page.getByRole("heading", { level: 1, name: "Page not found" }));
    expect(await colleague.page.content()).not.toContain(TITLE);
    await expectAccessible(colleague.page);
    expect(opened.flatMap((w) => w.errors)).toEqual([]);
  });

  it("lets the organizer accept proposals in batch without telling anyone, then release the decisions with a mail to every facilitator", async () => {
    await zeldasProposal();
    await rowansReview();
    const { page } = await signedInPage(organizer);
    const ranking = () => page.locator("#batch tbody tr").evaluateAll((rows) => rows.map((row) => Array.from(row.querySelectorAll("td"), (td) => td.textContent)));
    await page.goto(`${app.url}/organize/${slug}/proposals`);
    await waitForHydration(page);
    await visible(page.getByRole("heading", { level: 1, name: "Proposals: Strategy Meeting 2027" }));
    // Zelda's proposal leads with (2·4 + 1·5) / 3.
    expect(await ranking()).toEqual([
      ["", `${TITLE} · cross-track`, "Submitted", "4.33", "1", "0.00", "0", "Sex work, Migrant and labor rights", "Workshop, 90 minutes", "Zelda"],
      ["", `${OTHER_TITLE} · cross-track`, "Submitted", "–", "0", "–", "0", "Sex work, HIV/AIDS", "Panel, 60 minutes", "Mira"],
    ]);
    await expectAccessible(page);

    await page.getByRole("checkbox", { name: `Select ${TITLE}` }).check();
    await page.getByRole("checkbox", { name: `Select ${OTHER_TITLE}` }).check();
    await page.getByLabel("Decision", { exact: true }).selectOption({ label: "Accept" });
    await page.getByRole("button", { name: "Apply (not released yet)" }).click();
    await visible(page.getByText("2 proposals accepted, not released yet:"));
    await visible(page.getByText("Nothing is sent until you release the decisions."));
    // The page's data is reloaded after the answer is shown.
    await expect.poll(() => page.locator("#release-heading + p").textContent()).toBe("2 decisions are waiting to be released. Releasing makes them final and queues the mail to their facilitators.");
    await expect.poll(async () => (await ranking()).map((row) => row[2])).toEqual(["Accept (not released)", "Accept (not released)"]);
    await expectAccessible(page);
    const statuses = () => db.selectFrom("proposals").select(["id", "status"]).where("id", "in", [proposalId, otherProposalId]).orderBy("id").execute();
    expect(await statuses()).toEqual([
      { id: otherProposalId, status: "pending_accepted" },
      { id: proposalId, status: "pending_accepted" },
    ]);
    const decisionMails = () => db.selectFrom("mail_outbox").select(["to_address", "subject"]).where("convening_id", "=", conveningId).where("template", "=", "proposal-accepted").orderBy("to_address").execute();
    expect(await decisionMails()).toEqual([]);

    // The proposer still sees "Submitted", and no decision mail has gone out.
    const proposer = await signedInPage(zelda);
    await proposer.page.goto(`${app.url}/convenings/${slug}/proposals/${proposalId}`);
    await waitForHydration(proposer.page);
    await expect.poll(() => proposer.page.locator(".notice strong").textContent(), SETTLED).toBe("Submitted");
    expect(await proposer.page.content()).not.toContain("pending_accepted");
    await expectAccessible(proposer.page);
    expect(smtp.messages.filter((m) => m.subject?.startsWith("Accepted:") && Object.values(mail).includes((m.to as AddressObject).text))).toEqual([]);

    // Releasing goes through the page that shows every mail it sends.
    await page.getByRole("link", { name: "Review the mails and release" }).click();
    await page.waitForURL(`${app.url}/organize/${slug}/proposals/release`);
    await visible(page.getByText("2 decisions to release, 3 mails to send."));
    await expectAccessible(page);
    await page.getByRole("button", { name: "Release 2 decisions and send 3 mails" }).click();
    await visible(page.getByText("2 decisions released; 3 mails queued in the outbox."));
    await expectAccessible(page);
    await page.getByRole("link", { name: "Back to the proposals" }).click();
    await page.waitForURL(`${app.url}/organize/${slug}/proposals`);
    await expect.poll(async () => (await ranking()).map((row) => row[2])).toEqual(["Accepted", "Accepted"]);
    await expect.poll(() => page.locator("#release-heading + p").textContent()).toBe("0 decisions are waiting to be released. Releasing makes them final and queues the mail to their facilitators.");
    await expect.poll(() => page.getByRole("link", { name: "Review the mails and release" }).count(), SETTLED).toBe(0);
    await expectAccessible(page);
    expect(await statuses()).toEqual([
      { id: otherProposalId, status: "accepted" },
      { id: proposalId, status: "accepted" },
    ]);
    expect(await decisionMails()).toEqual([
      { to_address: mail.mira!, subject: `Accepted: "${OTHER_TITLE}"` },
      { to_address: mail.quill!, subject: `Accepted: "${TITLE}"` },
      { to_address: mail.zelda!, subject: `Accepted: "${TITLE}"` },
    ]);
    // Delivered by the sender's next round; run that round now rather than waiting up to a minute.
    const transport = smtpTransport(smtp.url);
    try {
      await deliverDueMail(db, transport, { from: "Convene <convene@localhost>" });
    } finally {
      transport.close();
    }
    for (const [to, title, name] of [[mail.zelda!, TITLE, "Zelda"], [mail.quill!, TITLE, "Quill"], [mail.mira!, OTHER_TITLE, "Mira"]] as const) {
      const mail = await mailTo(to, `Accepted: "${title}"`);
      expect(mail.text).toContain(`Hello ${name},\n\nGood news: "${title}" is accepted for Strategy Meeting 2027.`);
      expect(mail.text).toContain(`See your proposal: ${app.url}/convenings/${slug}/proposals/${title === TITLE ? proposalId : otherProposalId}`);
    }

    await proposer.page.reload();
    await expect.poll(() => proposer.page.locator(".notice strong").textContent(), SETTLED).toBe("Accepted");
    await expect.poll(() => proposer.page.getByText("Your session is accepted. It is confirmed once every facilitator is registered for the convening.").count(), SETTLED).toBe(1);
    await expectAccessible(proposer.page);
    expect(opened.flatMap((w) => w.errors)).toEqual([]);
  });

  it("lets a registered participant mark an accepted session they want to attend, and no one else", async () => {
    await zeldasProposal();
    await rowansReview();
    await bothAccepted();
    const { page } = await signedInPage(ash);
    await page.goto(`${app.url}/convenings/${slug}/sessions`);
    await waitForHydration(page);
    await visible(page.getByRole("heading", { level: 1, name: "Sessions" }));
    await expect.poll(() => page.getByText("Mark the sessions you want to attend.", { exact: false }).count(), SETTLED).toBe(1);
    const card = (title: string) => page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: title }) });
    await expect.poll(() => card(TITLE).getByText("With Zelda, Quill").count(), SETTLED).toBe(1);
    const html = await page.content();
    for (const secret of ["Secretsurname", "Hiddenname", mail.zelda!, mail.quill!]) expect(html).not.toContain(secret);
    const mark = card(TITLE).getByRole("button", { name: "I want to attend", exact: true });
    await expect.poll(() => mark.getAttribute("aria-pressed"), SETTLED).toBe("false");
    await expectAccessible(page);
    await mark.click();
    const marked = card(TITLE).getByRole("button", { name: "Marked: I want to attend", exact: true });
    await visible(marked);
    await expect.poll(() => marked.getAttribute("aria-pressed"), SETTLED).toBe("true");
    await expect.poll(() => card(OTHER_TITLE).getByRole("button", { name: "I want to attend", exact: true }).getAttribute("aria-pressed"), SETTLED).toBe("false");
    await expectAccessible(page);
    const interests = () => db.selectFrom("interests").select(["person_id", "proposal_id"]).where("proposal_id", "in", [proposalId, otherProposalId]).orderBy("proposal_id").execute();
    expect(await interests()).toEqual([{ person_id: ash, proposal_id: proposalId }]);

    // A hand-made request from the registered participant goes through (unmarking a session they did not mark)...
    const registered = await post(await client(ash), `/convenings/${slug}/sessions`, [["proposal", String(otherProposalId)], ["interested", "no"]]);
    expect(registered.status).toBe(200);
    // ...while a signed-in person who is not registered sees no buttons and is refused.
    const outsider = await signedInPage(olive);
    await outsider.page.goto(`${app.url}/convenings/${slug}/sessions`);
    await waitForHydration(outsider.page);
    await visible(outsider.page.getByText("Register for the convening to mark the sessions you want to attend."));
    await visible(outsider.page.getByRole("link", { name: TITLE }));
    await expect.poll(() => outsider.page.getByRole("button", { name: /I want to attend/ }).count(), SETTLED).toBe(0);
    await expectAccessible(outsider.page);
    const refused = await post(await client(olive), `/convenings/${slug}/sessions`, [["proposal", String(proposalId)], ["interested", "yes"]]);
    expect(refused.status).toBe(403);
    expect(refused.html).not.toContain("This form has expired");
    expect(refused.html).toContain("Register for the convening to mark the sessions you want to attend.");
    expect(await interests()).toEqual([{ person_id: ash, proposal_id: proposalId }]);

    // The organizers' ranking counts the mark.
    const org = await signedInPage(organizer);
    await org.page.goto(`${app.url}/organize/${slug}/proposals`);
    await waitForHydration(org.page);
    await expect.poll(() => org.page.locator("#batch thead th").nth(6).textContent(), SETTLED).toBe("Interest");
    const interest = (title: string) => org.page.locator("#batch tbody tr").filter({ has: org.page.getByRole("link", { name: title, exact: true }) }).locator("td").nth(6).textContent();
    await expect.poll(() => interest(TITLE), SETTLED).toBe("1");
    await expect.poll(() => interest(OTHER_TITLE), SETTLED).toBe("0");
    await expectAccessible(org.page);
    expect(opened.flatMap((w) => w.errors)).toEqual([]);
  });

  it("refuses bad input sent by hand, and changes nothing", async () => {
    await zeldasProposal();
    await rowansReview();
    await bothAccepted();
    await setInterest(db, { conveningId, personId: ash, proposalId, interested: true });
    const outsider = await client(olive);
    const newPath = `/convenings/${slug}/proposals/new`;
    const before = await count("proposals");

    const tooLong = await post(outsider, newPath, completeProposal({ title: "x".repeat(151) }));
    expect(tooLong.status).toBe(400);
    expect(tooLong.html).toContain('<p class="field-error" id="field-title-error">This is too long.</p>');

    // Tracks must be this convening's: another convening's track, or none at all, is refused.
    const elsewhere = await convening(db, { slug: `another-meeting-${unique()}`, title: "Another Meeting", startsOn: "2027-09-01", endsOn: "2027-09-02", organizerId: organizer });
    const foreignTrack = String(elsewhere.trackIds[0]!);
    const changes: Array<Record<string, string>> = [{ linkedTracks: foreignTrack }, { primaryTrack: foreignTrack }, { primaryTrack: "999999" }];
    for (const change of changes) {
      const unknown = await post(outsider, newPath, completeProposal(change));
      expect(unknown.status, JSON.stringify(change)).toBe(400);
      expect(unknown.html).toContain('<p class="field-error" id="field-primaryTrack-error">Choose tracks from the list.</p>');
    }
    expect(await count("proposals")).toBe(before);

    // The same request with a title of exactly 150 characters is accepted.
    const fits = await post(outsider, newPath, completeProposal({ title: "y".repeat(150) }));
    expect(fits.status).toBe(302);
    expect(fits.location).toMatch(new RegExp(`^/convenings/${slug}/proposals/\\d+\\?done=submitted$`));
    expect(await count("proposals")).toBe(before + 1);

    // When the call is closed, nothing is proposed.
    await setCfp({ open: false });
    try {
      const closed = await post(outsider, newPath, completeProposal({ title: "Too late" }));
      expect(closed.status).toBe(409);
      expect(closed.html).toContain("The call for proposals is not open now, so nothing was changed.");
    } finally {
      await setCfp({ open: true });
    }
    expect(await count("proposals")).toBe(before + 1);

    // Someone else's proposal cannot be edited, not even by its co-facilitator.
    const draft = await createProposal(db, { conveningId, proposerId: zelda, submit: false, answers: { title: "Notes for a later session" } });
    const snapshot = () => db.selectFrom("proposals").selectAll().where("id", "=", draft.id).executeTakeFirstOrThrow();
    const original = await snapshot();
    for (const [who, path] of [
      [outsider, `/convenings/${slug}/proposals/${draft.id}/edit`],
      [await client(quill), `/convenings/${slug}/proposals/${proposalId}/edit`],
    ] as const) {
      const intruder = await post(who, path, completeProposal({ intent: "draft", title: "Taken over" }));
      expect(intruder.status, path).toBe(404);
      expect(intruder.html).toContain("There is nothing at this address.");
    }
    expect(await snapshot()).toEqual(original);
    expect(await db.selectFrom("proposals").select("title").where("id", "=", proposalId).executeTakeFirstOrThrow()).toEqual({ title: TITLE });
    const owner = await post(await client(zelda), `/convenings/${slug}/proposals/${draft.id}/edit`, completeProposal({ intent: "draft", title: "Notes, renamed" }));
    expect(owner.status).toBe(302);
    expect(owner.location).toBe(`/convenings/${slug}/proposals/${draft.id}?done=saved`);
    expect(await snapshot()).toMatchObject({ title: "Notes, renamed", status: "draft" });

    // Scores are whole numbers from 1 to 5.
    const reviewer = await client(rowan);
    const reviewPath = `/organize/${slug}/proposals/${otherProposalId}`;
    const reviewsOfOther = () => db.selectFrom("reviews").select(["id", "reviewer_id"]).where("proposal_id", "=", otherProposalId).execute();
    const six = await post(reviewer, reviewPath, [["intent", "review"], [`score-${criteria.relevance}`, "6"], [`score-${criteria.lived}`, "3"], ["comment", ""]]);
    expect(six.status).toBe(400);
    expect(six.html).toContain("Choose a score from 1 to 5.");
    expect(await reviewsOfOther()).toEqual([]);
    const five = await post(reviewer, reviewPath, [["intent", "review"], [`score-${criteria.relevance}`, "5"], [`score-${criteria.lived}`, "3"], ["comment", ""]]);
    expect(five.status).toBe(302);
    expect(five.location).toBe(`${reviewPath}?done=review`);
    const [saved] = await reviewsOfOther();
    expect(saved?.reviewer_id).toBe(rowan);
    expect(await db.selectFrom("review_scores").select(["criterion_id", "score"]).where("review_id", "=", saved!.id).orderBy("criterion_id").execute()).toEqual([
      { criterion_id: criteria.relevance, score: 5 },
      { criterion_id: criteria.lived, score: 3 },
    ]);
    // A reviewer with a conflict of interest cannot score it by hand either.
    const conflicted = await post(await client(casey), `/organize/${slug}/proposals/${proposalId}`, [["intent", "review"], [`score-${criteria.relevance}`, "1"], [`score-${criteria.lived}`, "1"]]);
    expect(conflicted.status).toBe(404);
    expect(await db.selectFrom("reviews").select("id").where("reviewer_id", "=", casey).execute()).toEqual([]);

    // Only organizers decide: neither a participant nor a reviewer.
    const statuses = () => db.selectFrom("proposals").select(["id", "status"]).orderBy("id").execute();
    const decided = await statuses();
    for (const who of [outsider, reviewer]) {
      const batch = await post(who, `/organize/${slug}/proposals`, [["intent", "decide"], ["decision", "declined"], ["ids", String(proposalId)], ["ids", String(otherProposalId)]]);
      expect(batch.status).toBe(403);
      expect(batch.html).toContain("You do not have permission to open this page.");
    }
    expect(await statuses()).toEqual(decided);
    expect(await db.selectFrom("mail_outbox").select("id").where("template", "=", "proposal-declined").execute()).toEqual([]);
  });
});
