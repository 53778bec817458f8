// The demo convening served by the real server, with a database handle and a browser, for a
// `describe` block: started before its tests, stopped after them, and failing if the server
// wrote anything to stderr.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { openDatabase, type DB } from "../../app/platform/db.server";
import { startDemoApp, type RunningApp } from "./app-server";
import { launchBrowser } from "./browser";

export interface Demo {
  app: RunningApp & { slug: string };
  db: DB;
  browser: Browser;
  slug: string;
}

export function useDemoApp(options: { env?: Record<string, string> } = {}): Demo {
  const demo = {} as Demo;
  beforeAll(async () => {
    demo.app = await startDemoApp(options);
    demo.slug = demo.app.slug;
    demo.db = openDatabase(demo.app.databaseUrl);
    demo.browser = await launchBrowser();
  });
  afterAll(async () => {
    await demo.browser?.close();
    await demo.db?.destroy();
    await demo.app?.stop();
    expect(demo.app.stderr()).toBe("");
  });
  return demo;
}

/** Waits until the server's first round of background jobs (run at start, the last one pruning) is over, so a test can write without racing it. */
export async function serverJobsDone(db: DB): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const last = await db.selectFrom("job_runs").select("name").where("name", "=", "prune-expired").executeTakeFirst();
    if (last) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("the server's background jobs did not finish within 30 s");
}
