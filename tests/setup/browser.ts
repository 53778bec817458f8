// Chromium from Debian, driven by playwright-core. Every page visited is checked with axe, and
// any error the page logs (a Content-Security-Policy violation, a failed hydration) fails the test.
import AxeBuilder from "@axe-core/playwright";
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from "playwright-core";
import { expect } from "vitest";
import { CHROMIUM } from "./e2e-global";

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** Errors the page reported so far: console errors and uncaught exceptions. */
  errors: string[];
  /** Responses Chromium reported as failed loads (4xx/5xx), as "status path". */
  failedLoads: string[];
}

export async function openPage(browser: Browser, options: { javaScript?: boolean; viewport?: { width: number; height: number }; locale?: string } = {}): Promise<WatchedPage> {
  const context = await browser.newContext({ javaScriptEnabled: options.javaScript ?? true, viewport: options.viewport, ...(options.locale ? { locale: options.locale } : {}) });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const errors: string[] = [];
  const failedLoads: string[] = [];
  page.on("console", (message) => {
    // Chromium logs every 4xx/5xx as a console error; those are recorded from the responses.
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) errors.push(message.text());
  });
  page.on("response", (response) => {
    if (response.status() >= 400) failedLoads.push(`${response.status()} ${new URL(response.url()).pathname}`);
  });
  page.on("pageerror", (error) => errors.push(error.message));
  return { page, context, errors, failedLoads };
}

/** Runs axe on the page as it is now; fails on any violation, naming rule and elements. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  const violations = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  expect(violations, `accessibility violations on ${page.url()}`).toEqual([]);
}

/** Waits until the page's scripts have taken over (so clicks go through the client router). */
export async function waitForHydration(page: Page): Promise<void> {
  await page.waitForFunction(() => (window as unknown as { __remixRouter?: unknown }).__remixRouter !== undefined);
}

/**
 * Options for `expect.poll` on what a page shows: after an action the page reloads its data, so a
 * read is retried until it matches (or 10 s pass, then the failure shows expected and last value).
 */
export const SETTLED = { timeout: 10_000, interval: 50 };

/** Waits until the locator is visible (failing after the timeout), for assertions after a navigation. */
export async function visible(locator: Locator, timeout = 10_000): Promise<void> {
  await locator.waitFor({ state: "visible", timeout });
}

export async function waitForTitle(page: Page, title: string): Promise<void> {
  await page.waitForFunction((expected) => document.title === expected, title, { timeout: 10_000 });
}
