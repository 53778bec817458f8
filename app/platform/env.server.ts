// Configuration is read once and checked with zod; a wrong value stops start-up with a message
// that names the setting. With nothing set, the app runs as a local demo.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

const emptyToUndefined = (value: unknown) => (value === "" ? undefined : value);

function isValidUrl(value: string, protocols: string[]) {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

const envSchema = z.object({
  NODE_ENV: z.preprocess(
    emptyToUndefined,
    z.enum(["development", "production", "test"]).default("development"),
  ),
  HOST: z.preprocess(emptyToUndefined, z.string().default("127.0.0.1")),
  PORT: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ message: "must be a port number" })
      .int("must be a whole number")
      .min(1, "must be between 1 and 65535")
      .max(65535, "must be between 1 and 65535")
      .default(3000),
  ),
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().default("data")),
  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .refine(
        (value) =>
          !/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ||
          isValidUrl(value, ["postgres:", "postgresql:"]),
        "must be a file path for SQLite or a postgres:// URL",
      )
      .optional(),
  ),
  APP_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .refine((value) => isValidUrl(value, ["http:", "https:"]), "must be an http:// or https:// URL")
      .optional(),
  ),
  SESSION_SECRET: z.preprocess(
    emptyToUndefined,
    z.string().min(32, "must be at least 32 characters long").optional(),
  ),
  SMTP_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .refine((value) => isValidUrl(value, ["smtp:", "smtps:"]), "must be an smtp:// or smtps:// URL")
      .optional(),
  ),
  MAIL_FROM: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^(?:[^<>]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/, "must be an address like Convene <convene@example.org>")
      .default("Convene <convene@localhost>"),
  ),
  CONVENE_DEMO: z.preprocess(emptyToUndefined, z.enum(["on", "off"]).default("off")),
  JOBS: z.preprocess(emptyToUndefined, z.enum(["on", "off"]).default("on")),
  JOB_INTERVAL_SECONDS: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ message: "must be a number of seconds" })
      .int("must be a whole number of seconds")
      .min(1, "must be between 1 and 3600")
      .max(3600, "must be between 1 and 3600")
      .default(60),
  ),
  LOG_REQUESTS: z.preprocess(emptyToUndefined, z.enum(["on", "off"]).default("on")),
});

export type DatabaseKind = "sqlite" | "postgres";

export interface Env {
  nodeEnv: "development" | "production" | "test";
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string;
  databaseKind: DatabaseKind;
  appUrl: URL;
  sessionSecret: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  jobs: boolean;
  /** how often the in-process job runner wakes */
  jobIntervalMs: number;
  logRequests: boolean;
  /** the local demo (or development): sign-in links may be printed to the log */
  demo: boolean;
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Convene cannot start because of its configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export function databaseKindOf(url: string): DatabaseKind {
  return /^postgres(ql)?:\/\//i.test(url) ? "postgres" : "sqlite";
}

function loadOrCreateSecret(dataDir: string): string {
  const file = path.join(dataDir, "session-secret");
  try {
    const existing = fs.readFileSync(file, "utf8").trim();
    if (existing.length >= 32) return existing;
  } catch {
    // first start: no secret yet
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("hex");
  fs.writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`),
    );
  }
  const raw = result.data;
  // The demo runs the production build on a laptop: it may keep a generated secret under data/.
  if (raw.NODE_ENV === "production" && raw.CONVENE_DEMO !== "on" && !raw.SESSION_SECRET) {
    throw new ConfigError([
      "SESSION_SECRET: must be set in production (a random string of at least 32 characters)",
    ]);
  }
  const databaseUrl = raw.DATABASE_URL ?? path.join(raw.DATA_DIR, "convene.db");
  return {
    nodeEnv: raw.NODE_ENV,
    host: raw.HOST,
    port: raw.PORT,
    dataDir: raw.DATA_DIR,
    databaseUrl,
    databaseKind: databaseKindOf(databaseUrl),
    appUrl: new URL(raw.APP_URL ?? `http://localhost:${raw.PORT}`),
    sessionSecret: raw.SESSION_SECRET ?? loadOrCreateSecret(raw.DATA_DIR),
    smtpUrl: raw.SMTP_URL,
    mailFrom: raw.MAIL_FROM,
    jobs: raw.JOBS === "on",
    jobIntervalMs: raw.JOB_INTERVAL_SECONDS * 1000,
    logRequests: raw.LOG_REQUESTS === "on",
    demo: raw.CONVENE_DEMO === "on" || raw.NODE_ENV !== "production",
  };
}

let cached: Env | undefined;

export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** The absolute URL of a path of the app, for mail and calendars. */
export function appLink(pathname: string): string {
  return new URL(pathname, getEnv().appUrl).toString();
}
