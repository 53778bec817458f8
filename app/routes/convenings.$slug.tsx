import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet } from "@remix-run/react";
import { listTracks } from "../modules/convenings/convenings.server";
import { getDb } from "../platform/db.server";
import { requirePublicConvening } from "../features/access/access.server";

export async function loader({ params }: LoaderFunctionArgs) {
  const db = getDb();
  const convening = await requirePublicConvening(params);
  const tracks = await listTracks(db, convening.id);
  return { convening, tracks };
}

export default function ConveningLayout() {
  return <Outlet />;
}
