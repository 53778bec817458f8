import { z } from "zod";
import { ACTION_STATUSES, ACTION_VISIBILITIES } from "./states";
import { idNumber, isCalendarDate, MAX_ID, optionalText, requiredText } from "../../lib/forms";

const toList = (v: unknown) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]);
const ids = z.preprocess(toList, z.array(idNumber("errors.unknownOwner")).max(50, "errors.tooMany"));

export const actionSchema = z
  .object({
    title: requiredText(300),
    dueOn: z.string("errors.required").regex(/^\d{4}-\d{2}-\d{2}$/, "errors.date").refine(isCalendarDate, "errors.date"),
    people: ids,
    organizations: ids,
    visibility: z.enum(ACTION_VISIBILITIES, "errors.invalidChoice"),
  })
  .superRefine((v, ctx) => {
    if (v.people.length + v.organizations.length === 0) ctx.addIssue({ code: "custom", path: ["people"], message: "errors.chooseOwner" });
  });

export const updateSchema = z.object({
  text: optionalText(2000),
  status: z.preprocess((v) => (v === "" ? undefined : v), z.enum(ACTION_STATUSES, "errors.invalidChoice").optional()),
  action: idNumber(),
});

/** One owner to add, from a list that names people as "person-<id>" and organizations as "organization-<id>". */
export const ownerSchema = z.object({
  owner: z
    .string("errors.chooseOwner")
    .regex(/^(person|organization)-[1-9]\d{0,9}$/, "errors.chooseOwner")
    .transform((v) => {
      const [kind, id] = v.split("-") as ["person" | "organization", string];
      return { kind, id: Number(id) };
    })
    .refine((v) => v.id <= MAX_ID, "errors.chooseOwner"),
});

/** The owner chosen on the add-owner form, as the domain functions take it. */
export function ownerOf(value: { owner: { kind: "person" | "organization"; id: number } }): { personId: number } | { organizationId: number } {
  return value.owner.kind === "person" ? { personId: value.owner.id } : { organizationId: value.owner.id };
}

export const preferencesSchema = z.object({
  reminders: z.preprocess((v) => v === "on", z.boolean()),
  digest: z.preprocess((v) => v === "on", z.boolean()),
});

export const noteSchema = z.object({ text: requiredText(2000) });

/** The owners chosen on an action form, as the domain functions take them. */
export function ownersOf(value: { people: number[]; organizations: number[] }): Array<{ personId: number } | { organizationId: number }> {
  return [...value.people.map((personId) => ({ personId })), ...value.organizations.map((organizationId) => ({ organizationId }))];
}
