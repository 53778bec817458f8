import { defineConfig } from "vitest/config";

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
          include: ["app/**/*.test.ts", "db/**/*.test.ts", "emails/**/*.test.ts", "cli/**/*.test.ts"],
          testTimeout: 20_000,
        },
      },
      // SKIP_E2E=1 leaves out the browser tests (for machines without Chromium).
      ...(process.env.SKIP_E2E === "1" ? [] : [{
        extends: true as const,
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          globalSetup: ["tests/setup/e2e-global.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      }]),
    ],
  },
});
