// The participant's own approved visa invitation letter as a PDF; 404 for anyone else, before
// approval, and after the passport details were erased.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePublicConvening } from "../features/access/access.server";
import { requireUser } from "../modules/auth/session.server";
import { letterPdf } from "../modules/registration/letter-pdf.server";
import { ownLetter } from "../modules/registration/letters.server";
import { getDb } from "../platform/db.server";
import { pdfResponse } from "../platform/pdf.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const convening = await requirePublicConvening(params);
  const letter = await ownLetter(getDb(), convening.id, user.id);
  if (!letter) throw new Response("Not found", { status: 404 });
  return pdfResponse(await letterPdf(letter), `${convening.slug}-invitation-letter.pdf`);
}
