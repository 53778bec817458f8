// A person's agenda as a calendar feed, at a secret address that needs no cookie.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { agendaCalendar, calendarResponse, personForFeed } from "../modules/calendar/feeds.server";
import { getDb } from "../utils/db.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const personId = await personForFeed(db, params.token ?? "", "agenda");
  if (personId === null) throw new Response("Not found", { status: 404 });
  // The latest convening the person has sessions in: their marks and the sessions they facilitate.
  const mine = await db
    .selectFrom("proposals")
    .innerJoin("convenings", "convenings.id", "proposals.convening_id")
    .select(["proposals.id", "convenings.id as conveningId"])
    .where((eb) =>
      eb.or([
        eb.exists(eb.selectFrom("interests").select("interests.proposal_id").whereRef("interests.proposal_id", "=", "proposals.id").where("interests.person_id", "=", personId)),
        eb.exists(eb.selectFrom("facilitators").select("facilitators.id").whereRef("facilitators.proposal_id", "=", "proposals.id").where("facilitators.person_id", "=", personId).where("facilitators.status", "=", "accepted")),
      ]),
    )
    .orderBy("convenings.starts_on", "desc")
    .execute();
  const conveningId = mine[0]?.conveningId;
  const convening = conveningId
    ? await db.selectFrom("convenings").select(["id", "slug", "title", "venue", "time_zone"]).where("id", "=", conveningId).executeTakeFirstOrThrow()
    : { id: 0, slug: "", title: "Convene", venue: "", time_zone: "UTC" };
  const file = await agendaCalendar(db, convening, { proposalIds: mine.filter((m) => m.conveningId === conveningId).map((m) => m.id) }, `${convening.title}: my agenda`);
  return calendarResponse(request, file, "my-agenda.ics");
}
