// Starting a convening: a new one, with its six tracks, optionally set up like an earlier one the
// organizer organizes (formats, lengths, criteria, rooms: see copy.server.ts), in one transaction.
import { inTransaction, type Executor } from "../../platform/db.server";
import { createConvening, getConvening, listOrganizedConvenings } from "./convenings.server";
import { copySetup } from "./copy.server";
import { ConveningError } from "./errors";

export interface StartConvening {
  slug: string;
  title: string;
  startsOn: string;
  endsOn: string;
  timeZone: string;
  venue?: string;
  copyFrom?: number;
}

/** Creates a draft convening (copied or not) for this organizer and returns its id: nobody else sees it until it is published. */
export async function startConvening(db: Executor, input: StartConvening, organizerId: number): Promise<number> {
  return inTransaction(db, async (trx) => {
    if (await getConvening(trx, input.slug)) throw new ConveningError("slug_taken", 409);
    // Only a convening offered on the form (one this organizer organizes) can be copied.
    if (input.copyFrom && !(await listOrganizedConvenings(trx, organizerId)).some((c) => c.id === input.copyFrom)) throw new ConveningError("not_offered", 400);
    const id = await createConvening(trx, { slug: input.slug, title: input.title, startsOn: input.startsOn, endsOn: input.endsOn, timeZone: input.timeZone, venue: input.venue, status: "draft" }, organizerId);
    if (input.copyFrom) await copySetup(trx, { fromId: input.copyFrom, toId: id, organizerId });
    return id;
  });
}
