// The demo convening served by the real server, with a database handle and a browser, for a
// `describe` block: started before its tests, stopped after them, and failing if the server
// wrote anything to stderr.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { openDatabase, type DB } from "../../app/utils/db.server";
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
