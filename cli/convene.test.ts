import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../tests/setup/flows";

describe("npm run convene -- solve", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "convene-solve-"));
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };

  it("prints the placements, the sessions it could not place and the figures as JSON", () => {
    const file = write(
      "ok.json",
      JSON.stringify({
        slots: [
          { id: "am", start: "2027-06-14T09:00:00Z", minutes: 90 },
          { id: "pm", start: "2027-06-14T14:00:00Z", minutes: 60 },
        ],
        rooms: [{ id: "hall", capacity: 40, features: ["step_free"] }],
        sessions: [
          { id: "a", track: "x", minutes: 90, facilitators: ["f"], needs: [], pinned: null },
          { id: "b", track: "x", minutes: 60, facilitators: ["f"], needs: ["step_free"], pinned: null },
          { id: "c", track: "y", minutes: 60, facilitators: [], needs: ["captioning"], pinned: null },
        ],
        people: [{ id: "f", group: "advocate", unavailable: [] }],
        interest: [{ person: "f", sessions: ["a", "b"] }],
      }),
    );
    const result = runCli(["solve", file, "--seed", "3"], {});
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      placements: [
        { session: "a", slot: "am", room: "hall" },
        { session: "b", slot: "pm", room: "hall" },
      ],
      unplaced: [{ session: "c", reason: "no room has captioning" }],
      score: { attendeeClashes: 0, overflow: 0, sameTrackOverlaps: 0, hardViolations: 0 },
      moves: [],
      optimal: true,
    });
    // The command as operators run it (cli/convene.mjs) solves from the scheduler's bundle: the same answer.
    const bundled = spawnSync("node", ["cli/convene.mjs", "solve", file, "--seed", "3"], { encoding: "utf8", timeout: 60_000 });
    expect(bundled.status).toBe(0);
    expect(JSON.parse(bundled.stdout)).toEqual(JSON.parse(result.stdout));
  });

  it("keeps a published session in its place unless asked for a fresh schedule, and lists the moves", () => {
    const instance = {
      slots: [
        { id: "am", start: "2027-06-14T09:00:00Z", minutes: 90 },
        { id: "pm", start: "2027-06-14T14:00:00Z", minutes: 90 },
      ],
      rooms: [{ id: "hall", capacity: 40 }],
      sessions: [
        { id: "a", minutes: 60, published: { slot: "am", room: "hall" } },
        { id: "b", minutes: 60, published: { slot: "pm", room: "gone" } },
      ],
      people: [{ id: "p" }],
      interest: [{ person: "p", sessions: ["a", "b"] }],
    };
    const file = write("published.json", JSON.stringify(instance));
    const kept = JSON.parse(spawnSync("node", ["cli/convene.mjs", "solve", file], { encoding: "utf8", timeout: 60_000 }).stdout);
    expect(kept.moves).toEqual([{ session: "b", from: { slot: "pm", room: "gone" }, to: { slot: "pm", room: "hall" } }]);
    expect(kept.placements).toEqual([
      { session: "a", slot: "am", room: "hall" },
      { session: "b", slot: "pm", room: "hall" },
    ]);
  });

  it("names the field that is wrong, or says the file is not JSON, and exits with 2", () => {
    const broken = runCli(["solve", write("broken.json", "{")], {});
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/broken\.json is not a valid instance:\nnot valid JSON: /);
    const wrong = runCli(["solve", write("wrong.json", JSON.stringify({ slots: [], rooms: [{ id: "r", capacity: -1 }], sessions: [] }))], {});
    expect(wrong).toMatchObject({ code: 2, stdout: "" });
    expect(wrong.stderr).toBe(`${path.join(dir, "wrong.json")} is not a valid instance:\nrooms.0.capacity: Too small: expected number to be >=0\n`);
    const missing = runCli(["solve", path.join(dir, "nope.json")], {});
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^cannot read .*nope\.json: ENOENT/);
  });
});
