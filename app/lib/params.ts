// A route's URL parameters, parsed with zod: an address that does not parse names nothing (404).
import { z } from "zod";
import { idNumber } from "./forms";

export function requireParams<S extends z.ZodType>(params: Record<string, string | undefined>, schema: S): z.output<S> {
  const result = schema.safeParse(params);
  if (!result.success) throw new Response("Not found", { status: 404 });
  return result.data;
}

/** A slug or token segment: text without a NUL character (PostgreSQL refuses to compare one). */
export const segment = z.string().min(1).refine((s) => !s.includes("\u0000"));

/** A row's id in a URL: a whole number from 1 to the largest id a row can have. */
export const idParam = idNumber();
