// The demo convening: a realistic working-group meeting with 64 participants. Everything goes
// through the domain functions, so the demo data obeys the same rules as real data.
import type { Constituency } from "../../../db/schema";
import { createConvening } from "../../modules/convenings/convenings.server";
import { addSiteOrganizer } from "../../modules/auth/roles.server";
import { findOrCreatePerson, updateProfile } from "../../modules/people/people.server";
import type { DB } from "../../platform/db.server";
import { listTracks } from "../../modules/convenings/convenings.server";
import { seedActions } from "./seed-actions";
import { seedAgenda } from "./seed-agenda";
import { seedProposals } from "./seed-proposals";
import { submitRegistration } from "../../modules/registration/registering.server";
import { updateRegistrationSettings } from "../../modules/registration/settings.server";

/** In-person places in the demo: fewer than the in-person registrations, so a few wait. */
export const DEMO_CAPACITY = 52;

export const DEMO_ORGANIZER = "organizer@example.org";

/** The demo convening takes place about seven months after the demo is loaded, Monday to Wednesday. */
export function demoDates(now: Date) {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 210));
  start.setUTCDate(start.getUTCDate() + ((8 - start.getUTCDay()) % 7));
  const day = (offset: number) => new Date(start.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
  return {
    slug: `annual-meeting-${start.getUTCFullYear()}`,
    year: start.getUTCFullYear(),
    startsOn: day(0),
    endsOn: day(2),
    registrationOpensAt: new Date(now.getTime() - 30 * 86_400_000).toISOString(),
    registrationClosesAt: new Date(start.getTime() - 21 * 86_400_000).toISOString(),
  };
}

const ORGANIZATIONS = [
  "Red Umbrella Collective",
  "Sex Workers' Rights Alliance",
  "Migrant Workers Solidarity Network",
  "Positive Health Outreach",
  "Rainbow Rights Coalition",
  "Reproductive Justice Forum",
  "Survivors for Rights",
  "Street Health Clinic",
  "Institute for Gender and Labour Research",
  "Open Society Fund for Rights",
  "Harm Reduction Partners",
  "Trans Advocacy Centre",
  "Domestic Workers United",
  "Global Health Policy Lab",
];

const COUNTRIES = [
  "Kenya", "South Africa", "Thailand", "India", "Brazil", "Mexico", "Argentina", "Germany", "Netherlands",
  "Portugal", "United States", "Canada", "Philippines", "Nigeria", "Colombia", "Ukraine", "Spain", "New Zealand",
];

const LANGUAGES = [["English"], ["English", "Español"], ["Português", "English"], ["English", "Kiswahili"], ["Français", "English"], ["English", "ภาษาไทย"], ["Español"], ["English", "Русский"]];

// Given names and family names are combined; a fifth of the people use a chosen name only.
const GIVEN = ["Amara", "Luz", "Priya", "Thandi", "Mei", "Joana", "Nadia", "Kofi", "Rosa", "Sven", "Ana", "Lerato", "Dara", "Yuki", "Farah", "Tomás"];
const FAMILY = ["Okafor", "Hernández", "Sharma", "Dlamini", "Chen", "Silva", "Haddad", "Mensah", "Ruiz", "Larsen", "Kowalska", "Mokoena", "Nguyen", "Tanaka", "Aziz", "Oliveira"];
const CHOSEN = ["River", "Sky", "Jade", "Phoenix", "Ember", "Sol", "Wren", "Indigo", "Sage", "Nova", "Lux", "Marlowe", "Onyx"];
const PRONOUNS = ["she/her", "he/him", "they/them", null, "she/they", null];
const CONSTITUENCY_CYCLE: Constituency[] = [
  "sex_worker_or_community_member",
  "advocate",
  "service_provider",
  "sex_worker_or_community_member",
  "researcher",
  "advocate",
  "donor",
  "sex_worker_or_community_member",
  "service_provider",
  "other",
];

export interface DemoPerson {
  email: string;
  publicName: string;
  fullName: string | undefined;
}

export function demoPeople(count = 64): DemoPerson[] {
  const people: DemoPerson[] = [];
  for (let i = 0; i < count; i++) {
    const chosenOnly = i % 5 === 2;
    const given = GIVEN[i % GIVEN.length]!;
    const family = FAMILY[(i * 7) % FAMILY.length]!;
    if (chosenOnly) {
      const chosen = `${CHOSEN[i % CHOSEN.length]!}${i >= CHOSEN.length * 5 ? ` ${i}` : ""}`;
      people.push({ email: `participant${i + 1}@example.org`, publicName: chosen, fullName: undefined });
    } else {
      people.push({
        email: `participant${i + 1}@example.org`,
        publicName: i % 3 === 0 ? given : `${given} ${family.charAt(0)}.`,
        fullName: `${given} ${family}`,
      });
    }
  }
  return people;
}

export async function isEmpty(db: DB): Promise<boolean> {
  const row = await db.selectFrom("convenings").select("id").limit(1).executeTakeFirst();
  return row === undefined;
}

export async function seedDemo(db: DB): Promise<{ conveningId: number; people: number; proposals: number }> {
  const now = new Date();
  const { personId: organizerId } = await addSiteOrganizer(db, DEMO_ORGANIZER, null, now);
  await updateProfile(db, organizerId, {
    publicName: "Organizing team",
    fullName: "Demo Organizer",
    organization: ORGANIZATIONS[0],
    constituency: "advocate",
    country: "Portugal",
    languages: ["English", "Português"],
  });

  const dates = demoDates(now);
  const conveningId = await createConvening(
    db,
    {
      slug: dates.slug,
      title: `Annual Strategy Meeting ${dates.year}`,
      description:
        "Three days of joint planning across sex work, trafficking, HIV/AIDS, LGBTQ rights, migrant and labor rights, and reproductive rights and health: what we do together in the year ahead.",
      startsOn: dates.startsOn,
      endsOn: dates.endsOn,
      timeZone: "Europe/Lisbon",
      locale: "en-GB",
      venue: "Casa das Associações, Lisbon",
      status: "published",
    },
    organizerId,
    now,
  );

  await updateRegistrationSettings(db, {
    conveningId,
    organizerId,
    opensAt: dates.registrationOpensAt,
    closesAt: dates.registrationClosesAt,
    capacity: DEMO_CAPACITY,
    approvalRequired: false,
    now,
  });
  const tracks = await listTracks(db, conveningId);

  const people = demoPeople();
  for (const [i, person] of people.entries()) {
    const { id } = await findOrCreatePerson(db, person.email, now);
    const profile = {
      publicName: person.publicName,
      fullName: person.fullName,
      pronouns: PRONOUNS[i % PRONOUNS.length] ?? undefined,
      organization: i % 9 === 4 ? undefined : ORGANIZATIONS[i % ORGANIZATIONS.length],
      constituency: i % 11 === 10 ? undefined : CONSTITUENCY_CYCLE[i % CONSTITUENCY_CYCLE.length],
      country: COUNTRIES[(i * 5) % COUNTRIES.length],
      languages: LANGUAGES[i % LANGUAGES.length]!,
    };
    await updateProfile(db, id, profile);
    // Registrations arrive one by one over the past weeks; the last in-person ones find the house full.
    await submitRegistration(db, {
      conveningId,
      personId: id,
      now: new Date(now.getTime() - (people.length - i) * 3_600_000),
      answers: {
        displayName: profile.publicName,
        pronouns: profile.pronouns,
        organization: profile.organization,
        constituency: profile.constituency,
        country: profile.country,
        attendance: i % 7 === 3 ? "remote" : "in_person",
        tracks: [tracks[i % 6]!.id, ...(i % 3 === 0 ? [tracks[(i + 2) % 6]!.id] : [])],
        languages: profile.languages,
        interpretation: i % 8 === 6 ? ["Español"] : [],
        accessNeeds: i % 10 === 1 ? ["step_free"] : i % 13 === 5 ? ["captioning", "quiet_room"] : [],
        accessOther: i % 17 === 9 ? "Rest breaks every hour" : undefined,
        dietary: i % 5 === 0 ? "Vegetarian" : i % 12 === 7 ? "Halal" : undefined,
        support: i % 4 === 1 ? { items: [{ kind: "travel", currency: "EUR", cents: 60000 + i * 1000 }, { kind: "lodging", currency: "EUR", cents: 30000 }], reason: "Travel from outside Europe; our collective has no travel budget." } : null,
        emergencyContact: i % 3 === 2 ? `Contact ${i + 1}, +351 900 000 ${String(100 + i)}` : undefined,
        consentDirectory: i % 4 !== 2,
        consentContact: i % 3 === 0,
        consentPhotos: i % 5 < 2,
      },
    });
  }
  const registered = await db
    .selectFrom("people")
    .innerJoin("registrations", "registrations.person_id", "people.id")
    .select(["people.id", "people.email"])
    .where("registrations.convening_id", "=", conveningId)
    .orderBy("people.id")
    .execute();
  const cfp = await seedProposals(db, { conveningId, organizerId, people: registered, trackIds: tracks.map((t) => t.id), now });
  await seedAgenda(db, { conveningId, organizerId, days: [dates.startsOn, new Date(Date.parse(`${dates.startsOn}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10)], now });
  await seedActions(db, { conveningId, organizerId, now });
  return { conveningId, people: people.length, proposals: cfp.proposals };
}
