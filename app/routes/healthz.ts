import { checkDatabase, getDb, kindOf } from "../platform/db.server";

export async function loader() {
  const db = getDb();
  try {
    await checkDatabase(db);
    return Response.json({ ok: true, database: kindOf(db) }, { headers: { "Cache-Control": "no-store" } });
  } catch {
    return Response.json({ ok: false, database: kindOf(db) }, { status: 503, headers: { "Cache-Control": "no-store" } });
  }
}
