import { DateTime } from "luxon";

/** A datetime-local value read as wall-clock time in the zone, as a UTC ISO instant. */
export function fromLocalInput(value: string, timeZone: string): string {
  const at = DateTime.fromISO(value, { zone: timeZone });
  if (!at.isValid) throw new Error(`invalid local time ${value}`);
  return at.toUTC().toISO()!;
}
