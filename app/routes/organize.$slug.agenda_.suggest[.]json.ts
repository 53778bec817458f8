// Where a running suggestion is, for the suggestion's page to poll with JavaScript.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireConveningOrganizer } from "../features/access/access.server";
import { progressView } from "../features/agenda/suggestion-page.server";
import { getSuggestion, latestSuggestion } from "../modules/agenda/suggestions.server";
import { getDb } from "../platform/db.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { convening } = await requireConveningOrganizer(request, params.slug);
  const asked = new URL(request.url).searchParams.get("job");
  const headers = { "Cache-Control": "no-store" };
  // Without ?job=, the latest suggestion (null when none was asked for).
  if (asked === null) {
    const latest = await latestSuggestion(getDb(), convening.id);
    return Response.json(latest ? progressView(latest) : null, { headers });
  }
  const job = /^\d{1,12}$/.test(asked) ? await getSuggestion(getDb(), convening.id, Number(asked)) : null;
  if (!job) return Response.json({ error: "No such suggestion." }, { status: 404, headers });
  return Response.json(progressView(job), { headers });
}
