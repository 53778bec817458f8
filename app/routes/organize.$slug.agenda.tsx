import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AgendaNotice } from "../components/agenda/notice";
import { ConflictsSection } from "../components/agenda/conflicts-section";
import { FiguresSection } from "../components/agenda/figures-section";
import { GridSection } from "../components/agenda/grid-section";
import { PublishSection } from "../components/agenda/publish-section";
import { SetupSection } from "../components/agenda/setup-section";
import { UnplacedSection } from "../components/agenda/unplaced-section";
import { agendaPage } from "../features/agenda/agenda-page.server";
import { readForm } from "../modules/auth/csrf.server";
import { placeSession, setPinned, unplaceSession } from "../modules/agenda/placements.server";
import { FacilitatorsMissing, publishAgenda } from "../modules/agenda/publish.server";
import { missingText } from "../components/agenda/publish-section";
import { fixedItemSchema, placeSchema, proposalRefSchema, publishSchema, removeSchema, roomSchema, slotSchema } from "../modules/agenda/schema";
import { addFixedItem, addRoom, addSlot, removeSetupItem } from "../modules/agenda/setup.server";
import { requireConveningOrganizer } from "../features/access/access.server";
import { i18nServer } from "../platform/i18n/i18next.server";
import { getDb, type Trx } from "../platform/db.server";
import { answerOnce } from "../platform/submissions.server";
import { type FieldErrors } from "../lib/forms";
import { titleMeta } from "../lib/meta";
import { z } from "zod";
import { formAction, invalid } from "../lib/form-action.server";

export const meta = titleMeta;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { convening } = await requireConveningOrganizer(request, params.slug);
  const [page, t] = await Promise.all([agendaPage(getDb(), convening), i18nServer.getFixedT(request)]);
  return { title: t("agenda.organizeTitle", { convening: convening.title }), ...page };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, convening } = await requireConveningOrganizer(request, params.slug);
  const form = await readForm(request);
  const db = getDb();
  const intent = String(form.get("intent") ?? "");
  const base = { conveningId: convening.id, organizerId: user.id };
  const options = { echo: { intent }, summary: "errors.fixBelow" };
  const ok = (message: string, extra: { number?: number; mailed?: number } = {}) => data({ intent, ok: true as const, message, errors: {} as FieldErrors, detail: null, ...extra });
  /** Parses this intent's form, makes its one change, and answers with what the organizer is told. */
  const answer = <S extends z.ZodType>(schema: S, change: (value: z.output<S>) => Promise<unknown>, message: string) => formAction(form, schema, async (v) => (await change(v), ok(message)), options);
  /** The same for a form that adds something: sent twice (a double click), it adds once. */
  const addOnce = <S extends z.ZodType>(schema: S, add: (trx: Trx, value: z.output<S>) => Promise<unknown>, message: string) =>
    formAction(form, schema, (v) => answerOnce(db, form, { personId: user.id, kind: intent }, async (trx) => (await add(trx, v), ok(message)), () => ok(message)), options);
  switch (intent) {
    case "add-room":
      return addOnce(roomSchema, (trx, v) => addRoom(trx, { ...base, ...v }), "agenda.done.room");
    case "add-slot":
      return addOnce(slotSchema, (trx, v) => addSlot(trx, { ...base, ...v }), "agenda.done.slot");
    case "add-fixed":
      return addOnce(fixedItemSchema, (trx, v) => addFixedItem(trx, { ...base, slotId: v.slot, roomId: v.room ?? null, title: v.title, kind: v.kind }), "agenda.done.fixed");
    case "remove":
      return answer(removeSchema, (v) => removeSetupItem(db, { ...base, kind: v.kind, id: v.id }), "agenda.done.removed");
    case "place":
      return answer(placeSchema, (v) => placeSession(db, { ...base, proposalId: v.proposal, slotId: v.slot, roomId: v.room }), "agenda.done.placed");
    case "unplace":
      return answer(proposalRefSchema, (v) => unplaceSession(db, { ...base, proposalId: v.proposal }), "agenda.done.unplace");
    case "pin":
    case "unpin":
      return answer(proposalRefSchema, (v) => setPinned(db, { ...base, proposalId: v.proposal, pinned: intent === "pin" }), `agenda.done.${intent}`);
    // "Suggest", accepting and discarding are on organize.$slug.agenda_.suggest.tsx.
    case "publish":
      return formAction(form, publishSchema, async (v) => {
        const result = await publishAgenda(db, { ...base, note: v.note ?? "", fingerprint: v.fingerprint }).catch(async (error: unknown) => {
          // Who is missing and why, in the organizer's words.
          if (error instanceof FacilitatorsMissing) throw error.described(missingText(await i18nServer.getFixedT(request), error.missing));
          throw error;
        });
        return ok("agenda.done.published", { number: result.number, mailed: result.mailed });
      }, options);
    default:
      return invalid({ form: ["errors.invalid"] }, form, options);
  }
}

export default function OrganizerAgenda() {
  const page = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const { t } = useTranslation();
  const errorsFor = (intent: string): FieldErrors => (answer?.intent === intent ? answer.errors : {});
  return (
    <>
      <h1>{t("agenda.organizeHeading", { convening: page.convening.title })}</h1>
      <AgendaNotice answer={answer} />
      <FiguresSection figures={page.figures} />
      <GridSection grid={page.grid} />
      <UnplacedSection unplaced={page.unplaced} choices={page.choices} errors={errorsFor("place")} />
      <ConflictsSection conflicts={page.conflicts} />
      <PublishSection publish={page.publish} conflicts={page.conflicts} errors={errorsFor("publish")} />
      <SetupSection setup={page.setup} choices={page.choices} errors={{ room: errorsFor("add-room"), slot: errorsFor("add-slot"), fixed: errorsFor("add-fixed") }} />
    </>
  );
}
