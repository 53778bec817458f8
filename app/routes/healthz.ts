import { databaseAnswers, getDb, kindOf } from "../platform/db.server";

export async function loader() {
  const db = getDb();
  const ok = await databaseAnswers(db);
  return Response.json({ ok, database: kindOf(db) }, { status: ok ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
