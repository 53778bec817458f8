// Whether a convening is over: its last day has passed where it is held.

/** The calendar day (YYYY-MM-DD) an instant falls on in a time zone. */
export function dayIn(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

/** True once the convening's last day is over in its own time zone. */
export function hasTakenPlace(convening: { ends_on: string; time_zone: string }, now: Date): boolean {
  return dayIn(now, convening.time_zone) > convening.ends_on;
}

/**
 * The locale a reader's dates are written in: the first tag of their Accept-Language that this
 * runtime can format, else the given fallback (the convening's own).
 */
export function readerLocale(acceptLanguage: string | null, fallback: string): string {
  const tags = (acceptLanguage ?? "")
    .split(",")
    .map((part) => {
      const [tag, ...params] = part.trim().split(";");
      const q = params.map((p) => /^q=([\d.]+)$/.exec(p.trim())?.[1]).find(Boolean);
      return { tag: tag!.trim(), q: q === undefined ? 1 : Number(q) };
    })
    .filter((entry) => entry.tag !== "" && entry.tag !== "*" && entry.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of tags) {
    try {
      if (Intl.DateTimeFormat.supportedLocalesOf([tag]).length) return tag;
    } catch {
      // not a well-formed tag: try the next
    }
  }
  return fallback;
}
