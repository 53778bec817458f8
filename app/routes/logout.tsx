import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { readForm } from "../modules/auth/csrf.server";
import { destroySession } from "../modules/auth/session.server";
import { getDb } from "../platform/db.server";

export function loader() {
  throw redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  await readForm(request);
  throw redirect("/", { headers: { "Set-Cookie": await destroySession(getDb(), request) } });
}
