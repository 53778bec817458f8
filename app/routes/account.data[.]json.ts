// A person's own data as a JSON download.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "../modules/auth/session.server";
import { writeAudit } from "../platform/audit.server";
import { personalData } from "../features/account/export.server";
import { getDb } from "../platform/db.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, { allowIncompleteProfile: true });
  const db = getDb();
  const body = await personalData(db, user.id);
  await writeAudit(db, { actorId: user.id, action: "person.data_exported", subjectType: "person", subjectId: user.id });
  return new Response(JSON.stringify(body, null, 2), {
    headers: { "Content-Type": "application/json; charset=utf-8", "Content-Disposition": 'attachment; filename="my-convene-data.json"', "Cache-Control": "no-store" },
  });
}
