// Starts the real server (server.mjs on the production build) as a child process on a free
// loopback port, with its own data directory and database.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { emptyDatabaseUrl, type DatabaseKind } from "./databases";

export interface RunningApp {
  url: string;
  dataDir: string;
  databaseUrl: string;
  process: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

// The same secret as the test process (vitest.config.ts), so tests can mint session cookies.
export const TEST_SECRET = process.env.SESSION_SECRET ?? "e2e-secret-e2e-secret-e2e-secret-0123456789";

export async function startApp(options: { kind?: DatabaseKind; env?: Record<string, string>; databaseUrl?: string } = {}): Promise<RunningApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "convene-e2e-"));
  const database = options.databaseUrl
    ? { url: options.databaseUrl, drop: async () => {} }
    : await emptyDatabaseUrl(options.kind ?? "sqlite");
  // Files run side by side: the free port found here may be taken by another process before the
  // server binds it, so a server that finds its port in use is started again on another.
  for (let attempt = 1; ; attempt++) {
    try {
      return await spawnApp(await freePort(), dataDir, database, options.env);
    } catch (error) {
      if (!(error instanceof PortInUse) || attempt === 5) throw error;
    }
  }
}

class PortInUse extends Error {}

async function spawnApp(port: number, dataDir: string, database: { url: string; drop: () => Promise<void> }, env: Record<string, string> | undefined): Promise<RunningApp> {
  const url = `http://127.0.0.1:${port}`;
  let out = "";
  let err = "";
  const child = spawn(process.execPath, ["server.mjs"], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(port),
      APP_URL: url,
      DATA_DIR: dataDir,
      DATABASE_URL: database.url,
      SESSION_SECRET: TEST_SECRET,
      LOG_REQUESTS: "off",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}\n${err}`)), 30_000);
    const check = () => {
      if (out.includes("Convene is listening")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", check);
    child.on("exit", (code) => {
      clearTimeout(timer);
      const message = `server exited with ${code}:\n${out}\n${err}`;
      reject(err.includes("EADDRINUSE") ? new PortInUse(message) : new Error(message));
    });
  });
  return {
    url,
    dataDir,
    databaseUrl: database.url,
    process: child,
    stdout: () => out,
    stderr: () => err,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      await database.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs server.mjs expecting it to refuse to start; resolves with its exit code and output. */
export async function startExpectingFailure(env: Record<string, string>): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const child = spawn(process.execPath, ["server.mjs"], {
    env: { PATH: process.env.PATH, NODE_ENV: "production", HOST: "127.0.0.1", LOG_REQUESTS: "off", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  clearTimeout(timer);
  return { code, stderr: err, stdout: out };
}

/** The server on a fresh SQLite database holding the demo convening; `stop()` also removes the database. */
export async function startDemoApp(options: { env?: Record<string, string> } = {}): Promise<RunningApp & { slug: string }> {
  const { migrateToLatest, openDatabase } = await import("../../app/platform/db.server");
  const { seedDemo } = await import("../../app/features/demo/seed");
  const empty = await emptyDatabaseUrl("sqlite");
  const seeding = openDatabase(empty.url);
  await migrateToLatest(seeding);
  await seedDemo(seeding);
  const slug = (await seeding.selectFrom("convenings").select("slug").where("status", "=", "published").executeTakeFirstOrThrow()).slug;
  await seeding.destroy();
  const app = await startApp({ databaseUrl: empty.url, env: options.env });
  return { ...app, slug, stop: async () => { await app.stop(); await empty.drop(); } };
}
