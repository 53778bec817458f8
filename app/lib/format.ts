// Dates and times are shown in the convening's own time zone, in its locale's format.
// The server's and the browser's ICU data disagree on thin and narrow no-break spaces (Node puts
// U+2009 around a range's dash, Chromium a plain space): normalising them keeps hydration exact.
const SPACES = /[\u2009\u202F\u00A0]/g;
const tidy = (text: string) => text.replace(SPACES, " ");

// Building a formatter costs far more than using one (a page of 1,000 sessions formats thousands
// of times): formatters are kept by locale and options.
const formatters = new Map<string, Intl.DateTimeFormat>();
export function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = formatters.get(key);
  if (!format) {
    if (formatters.size > 500) formatters.clear();
    format = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, format);
  }
  return format;
}

/** A calendar date (YYYY-MM-DD) as words, e.g. "12 June 2027"; independent of any time zone. */
export function formatDay(day: string, locale: string, options: Intl.DateTimeFormatOptions = { dateStyle: "long" }): string {
  return tidy(dateFormat(locale, { ...options, timeZone: "UTC" }).format(new Date(`${day}T12:00:00Z`)));
}

export function formatDayRange(start: string, end: string, locale: string): string {
  const format = dateFormat(locale, { dateStyle: "long", timeZone: "UTC" });
  const from = new Date(`${start}T12:00:00Z`);
  const to = new Date(`${end}T12:00:00Z`);
  return tidy(start === end ? format.format(from) : format.formatRange(from, to));
}

/** An instant (ISO string) as date and time in the given zone. */
export function formatInstant(iso: string, timeZone: string, locale: string): string {
  return tidy(dateFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone }).format(new Date(iso)));
}

/** An instant as the value of a datetime-local input, in the given zone. */
export function toLocalInput(iso: string | null, timeZone: string): string {
  if (!iso) return "";
  const parts = dateFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}T${get("hour")}:${get("minute")}`;
}
