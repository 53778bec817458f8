import { describe, expect, it } from "vitest";
import { dayIn, hasTakenPlace, readerLocale } from "./dates";

describe("dates", () => {
  it("tells a convening is over only once its last day has ended where it is held", () => {
    const convening = { ends_on: "2027-06-02", time_zone: "Pacific/Auckland" };
    // 2 June, 23:30 in Auckland is still the last day; ten minutes past midnight it is over.
    expect(hasTakenPlace(convening, new Date("2027-06-02T11:30:00Z"))).toBe(false);
    expect(hasTakenPlace(convening, new Date("2027-06-02T12:10:00Z"))).toBe(true);
    expect(dayIn(new Date("2027-06-02T12:10:00Z"), "Pacific/Auckland")).toBe("2027-06-03");
  });

  it("writes dates in the reader's first locale it can format, else the convening's", () => {
    expect(readerLocale("de-DE,de;q=0.9,en;q=0.8", "en-GB")).toBe("de-DE");
    expect(readerLocale("fr;q=0.5, pt-BR", "en-GB")).toBe("pt-BR");
    expect(readerLocale(null, "en-GB")).toBe("en-GB");
    expect(readerLocale("*", "en-GB")).toBe("en-GB");
    expect(readerLocale("not a tag!!, en-US", "en-GB")).toBe("en-US");
  });
});
