// The scheduler's input and output, as JSON. Validated with zod so a bad file gets a message
// that names the field.
import { z } from "zod";

const id = z.union([z.string().min(1).max(200), z.number().int()]);
export type Id = z.infer<typeof id>;

export const instanceSchema = z
  .object({
    slots: z.array(
      z.object({
        id,
        start: z.string().refine((s) => !Number.isNaN(Date.parse(s)), "must be a date and time like 2027-06-14T09:00:00Z"),
        minutes: z.number().int().positive().max(24 * 60),
      }),
    ),
    rooms: z.array(z.object({ id, capacity: z.number().int().min(0), features: z.array(z.string()).default([]) })),
    sessions: z.array(
      z.object({
        id,
        track: id.nullable().default(null),
        minutes: z.number().int().positive(),
        facilitators: z.array(id).default([]),
        needs: z.array(z.string()).default([]),
        pinned: z.object({ slot: id, room: id }).nullable().default(null),
        /** its place in the published agenda; a slot or room no longer in the instance means it must move */
        published: z.object({ slot: id, room: id }).nullable().optional(),
        /** runs alone in its slot (an organizer's choice) */
        alone: z.boolean().optional(),
        /** a plenary: alone in its slot and in the largest room it fits */
        plenary: z.boolean().optional(),
      }),
    ),
    people: z.array(z.object({ id, group: z.string().nullable().default(null), unavailable: z.array(id).default([]) })).default([]),
    interest: z.array(z.object({ person: id, sessions: z.array(id) })).default([]),
  })
  .superRefine((value, ctx) => {
    const unique = (list: Array<{ id: Id }>, field: string) => {
      const seen = new Set<string>();
      list.forEach((item, i) => {
        const key = String(item.id);
        if (seen.has(key)) ctx.addIssue({ code: "custom", path: [field, i, "id"], message: `duplicate id ${key}` });
        seen.add(key);
      });
      return seen;
    };
    const slots = unique(value.slots, "slots");
    const rooms = unique(value.rooms, "rooms");
    const sessions = unique(value.sessions, "sessions");
    const people = unique(value.people, "people");
    const sorted = value.slots
      .map((s, i) => ({ i, id: s.id, from: Date.parse(s.start), to: Date.parse(s.start) + s.minutes * 60_000 }))
      .sort((a, b) => a.from - b.from);
    for (let k = 1; k < sorted.length; k++) {
      const prev = sorted[k - 1]!;
      const next = sorted[k]!;
      if (next.from < prev.to) {
        ctx.addIssue({ code: "custom", path: ["slots", next.i, "start"], message: `slot ${String(next.id)} overlaps slot ${String(prev.id)}` });
      }
    }
    value.sessions.forEach((s, i) => {
      if (s.pinned && !slots.has(String(s.pinned.slot))) ctx.addIssue({ code: "custom", path: ["sessions", i, "pinned", "slot"], message: `unknown slot ${String(s.pinned.slot)}` });
      if (s.pinned && !rooms.has(String(s.pinned.room))) ctx.addIssue({ code: "custom", path: ["sessions", i, "pinned", "room"], message: `unknown room ${String(s.pinned.room)}` });
    });
    value.people.forEach((p, i) =>
      p.unavailable.forEach((slot, k) => {
        if (!slots.has(String(slot))) ctx.addIssue({ code: "custom", path: ["people", i, "unavailable", k], message: `unknown slot ${String(slot)}` });
      }),
    );
    value.interest.forEach((entry, i) => {
      if (people.size > 0 && !people.has(String(entry.person))) ctx.addIssue({ code: "custom", path: ["interest", i, "person"], message: `unknown person ${String(entry.person)}` });
      entry.sessions.forEach((s, k) => {
        if (!sessions.has(String(s))) ctx.addIssue({ code: "custom", path: ["interest", i, "sessions", k], message: `unknown session ${String(s)}` });
      });
    });
  });

export type Instance = z.output<typeof instanceSchema>;
export type InstanceInput = z.input<typeof instanceSchema>;

export interface Placement {
  session: Id;
  slot: Id;
  room: Id;
}

export interface Score {
  attendeeClashes: number;
  overflow: number;
  sameTrackOverlaps: number;
  hardViolations: number;
}

/** A published session's change of place in a result: `to` is null when it is left out. */
export interface Move {
  session: Id;
  from: { slot: Id; room: Id };
  to: { slot: Id; room: Id } | null;
}

export interface Result {
  placements: Placement[];
  unplaced: Array<{ session: Id; reason: string }>;
  score: Score;
}

/** Parses instance JSON text; the error names the field that is wrong. */
export function parseInstance(text: string): { ok: true; instance: Instance } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `not valid JSON: ${(error as Error).message}` };
  }
  const result = instanceSchema.safeParse(json);
  if (!result.success) {
    return {
      ok: false,
      error: result.error.issues
        .slice(0, 10)
        .map((issue) => `${issue.path.length ? issue.path.join(".") : "(top level)"}: ${issue.message}`)
        .join("\n"),
    };
  }
  return { ok: true, instance: result.data };
}
