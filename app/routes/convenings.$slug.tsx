import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet } from "@remix-run/react";
import { getPublicConvening, listTracks } from "../modules/convenings/convenings.server";
import { getDb } from "../platform/db.server";

export async function loader({ params }: LoaderFunctionArgs) {
  const db = getDb();
  const convening = await getPublicConvening(db, params.slug ?? "");
  if (!convening) throw new Response("Not found", { status: 404 });
  const tracks = await listTracks(db, convening.id);
  return { convening, tracks };
}

export default function ConveningLayout() {
  return <Outlet />;
}
