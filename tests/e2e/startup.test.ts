// Start-up refuses wrong configuration with a message naming the setting, and no stack trace.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { startExpectingFailure, TEST_SECRET } from "../setup/app-server";

describe("starting the server", () => {
  const dataDir = () => fs.mkdtempSync(path.join(os.tmpdir(), "convene-start-"));

  it("stops with a message naming a wrong setting", async () => {
    const result = await startExpectingFailure({ PORT: "eighty", SESSION_SECRET: TEST_SECRET, DATA_DIR: dataDir() });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("Convene cannot start because of its configuration:\n  - PORT: must be a port number\n");
  });

  it("stops in production without SESSION_SECRET", async () => {
    const result = await startExpectingFailure({ DATA_DIR: dataDir() });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("SESSION_SECRET: must be set in production");
  });

  it("stops with a message naming DATABASE_URL when the database cannot be opened", async () => {
    const blocker = path.join(dataDir(), "a-file");
    fs.writeFileSync(blocker, "");
    const result = await startExpectingFailure({ DATABASE_URL: path.join(blocker, "convene.db"), SESSION_SECRET: TEST_SECRET, DATA_DIR: dataDir() });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^DATABASE_URL: cannot open the SQLite database at .*a-file\/convene\.db: /);
    expect(result.stderr).not.toMatch(/\n\s+at /);

    const unreachable = await startExpectingFailure({ DATABASE_URL: "postgres://nobody@127.0.0.1:1/convene", SESSION_SECRET: TEST_SECRET, DATA_DIR: dataDir() });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/^DATABASE_URL: cannot reach the database: /);
  });
});
