import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "./env.server";

function problems(env: Record<string, string>): string[] {
  try {
    parseEnv(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("configuration", () => {
  it("runs with nothing set: SQLite under data/, a generated secret kept for the next start", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "convene-env-"));
    const first = parseEnv({ DATA_DIR: dir });
    expect(first).toMatchObject({
      nodeEnv: "development",
      host: "127.0.0.1",
      port: 3000,
      databaseUrl: path.join(dir, "convene.db"),
      databaseKind: "sqlite",
      smtpUrl: undefined,
      mailFrom: "Convene <convene@localhost>",
    });
    expect(first.appUrl.toString()).toBe("http://localhost:3000/");
    expect(first.sessionSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(parseEnv({ DATA_DIR: dir }).sessionSecret).toBe(first.sessionSecret);
    expect(fs.statSync(path.join(dir, "session-secret")).mode & 0o777).toBe(0o600);
    fs.rmSync(dir, { recursive: true });
  });

  it("selects PostgreSQL for a postgres:// URL", () => {
    const env = parseEnv({ DATABASE_URL: "postgres://u@db.internal:5432/convene", SESSION_SECRET: "x".repeat(32) });
    expect(env.databaseKind).toBe("postgres");
  });

  it("names each wrong setting", () => {
    expect(problems({ PORT: "eighty", SESSION_SECRET: "x".repeat(32) })).toEqual(["PORT: must be a port number"]);
    expect(problems({ PORT: "70000", SESSION_SECRET: "x".repeat(32) })).toEqual(["PORT: must be between 1 and 65535"]);
    expect(problems({ DATABASE_URL: "mysql://localhost/db", SESSION_SECRET: "x".repeat(32) })).toEqual([
      "DATABASE_URL: must be a file path for SQLite or a postgres:// URL",
    ]);
    expect(problems({ APP_URL: "convene.example.org", SESSION_SECRET: "x".repeat(32) })).toEqual(["APP_URL: must be an http:// or https:// URL"]);
    expect(problems({ SMTP_URL: "http://mail", SESSION_SECRET: "x".repeat(32) })).toEqual(["SMTP_URL: must be an smtp:// or smtps:// URL"]);
    expect(problems({ MAIL_FROM: "nobody", SESSION_SECRET: "x".repeat(32) })).toEqual(["MAIL_FROM: must be an address like Convene <convene@example.org>"]);
    expect(problems({ SESSION_SECRET: "short" })).toEqual(["SESSION_SECRET: must be at least 32 characters long"]);
  });

  it("requires SESSION_SECRET in production, except for the local demo", () => {
    expect(problems({ NODE_ENV: "production" })).toEqual([
      "SESSION_SECRET: must be set in production (a random string of at least 32 characters)",
    ]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "convene-env-"));
    expect(problems({ NODE_ENV: "production", CONVENE_DEMO: "on", DATA_DIR: dir })).toEqual([]);
    fs.rmSync(dir, { recursive: true });
  });
});
