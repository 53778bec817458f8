import { defineConfig } from "vitest/config";

// End-to-end files that saturate the machine on their own (a thousand requests at once, killed
// and restarted servers, hostile payloads, several servers on one database).
// A suggestion of the largest generated convening keeps a core busy (suggestions.test.ts).
const HEAVY_E2E = ["tests/e2e/mass-registration.test.ts", "tests/e2e/crash.test.ts", "tests/e2e/hostile-input.test.ts", "tests/e2e/processes.test.ts", "tests/e2e/suggestions.test.ts"];

export default defineConfig({
  test: {
    setupFiles: ["tests/setup/fail-on-console-error.ts"],
    reporters: ["default", "./tests/setup/summary-reporter.ts"],
    env: {
      SESSION_SECRET: "test-secret-test-secret-test-secret-0123456789",
      APP_URL: "http://convene.test",
      DATA_DIR: "data/test",
    },
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["app/**/*.test.ts", "db/**/*.test.ts", "emails/**/*.test.ts", "cli/**/*.test.ts", "eslint-rules/**/*.test.ts"],
          testTimeout: 20_000,
        },
      },
      // SKIP_E2E=1 leaves out the browser tests (for machines without Chromium).
      // Each end-to-end file starts its own server on a free port, with its own database and data
      // folder, so files run side by side (two at a time: each also drives a Chromium), after the unit
      // tests. The heavy files, which load the machine on their own, run last, two at a time.
      ...(process.env.SKIP_E2E === "1" ? [] : [{
        extends: true as const,
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          exclude: HEAVY_E2E,
          globalSetup: ["tests/setup/e2e-global.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      }, {
        extends: true as const,
        test: {
          name: "e2e-heavy",
          include: HEAVY_E2E,
          globalSetup: ["tests/setup/e2e-global.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Two at a time, after everything else: the longest (hostile input) beside the others in turn.
          maxWorkers: 2,
          sequence: { groupOrder: 2 },
        },
      }]),
    ],
  },
});
