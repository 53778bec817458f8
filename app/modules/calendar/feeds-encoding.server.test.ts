// Kept calendars are compressed once and sent compressed to clients that accept it.
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { calendarResponse, withCompressed } from "./feeds.server";

const body = `BEGIN:VCALENDAR\r\n${"BEGIN:VEVENT\r\nSUMMARY:Session\r\nEND:VEVENT\r\n".repeat(200)}END:VCALENDAR\r\n`;
const file = withCompressed({ body, etag: '"abc"', lastModified: "Tue, 02 Feb 2027 12:00:00 GMT" });
const request = (acceptEncoding?: string, ifNoneMatch?: string) =>
  new Request("http://convene.test/x.ics", { headers: { ...(acceptEncoding !== undefined ? { "Accept-Encoding": acceptEncoding } : {}), ...(ifNoneMatch ? { "If-None-Match": ifNoneMatch } : {}) } });
const bytes = async (response: Response) => Buffer.from(await response.arrayBuffer());

describe("compressed calendars", () => {
  it("send brotli to a client that accepts it, gzip to one that accepts only gzip", async () => {
    const br = calendarResponse(request("gzip, deflate, br"), file, "x.ics");
    expect(br.headers.get("content-encoding")).toBe("br");
    expect(br.headers.get("vary")).toBe("Accept-Encoding");
    expect(br.headers.get("etag")).toBe('"abc"');
    expect(brotliDecompressSync(await bytes(br)).toString()).toBe(body);
    const gzip = calendarResponse(request("gzip;q=1.0, identity; q=0.5"), file, "x.ics");
    expect(gzip.headers.get("content-encoding")).toBe("gzip");
    expect(gunzipSync(await bytes(gzip)).toString()).toBe(body);
  });

  it("send the text to a client that accepts neither, or refuses them with q=0", async () => {
    for (const accept of [undefined, "identity", "br;q=0, gzip;q=0", "deflate"]) {
      const plain = calendarResponse(request(accept), file, "x.ics");
      expect(plain.headers.get("content-encoding"), accept).toBeNull();
      expect(await plain.text(), accept).toBe(body);
    }
  });

  it("answer 304 without a body whatever the client accepts", async () => {
    const again = calendarResponse(request("br", '"abc"'), file, "x.ics");
    expect(again.status).toBe(304);
    expect(again.headers.get("content-encoding")).toBeNull();
    expect(await again.text()).toBe("");
  });
});
