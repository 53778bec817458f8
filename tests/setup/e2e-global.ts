// Before the browser tests: Chromium must be there, and the app must be built (npm test builds it).
import fs from "node:fs";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export default function setup() {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `The end-to-end tests need Chromium at ${CHROMIUM}. Install it with \`sudo apt-get install chromium\` ` +
        "(or point CHROMIUM_PATH at a Chromium binary), or set SKIP_E2E=1 to run the other tests only.",
    );
  }
  if (!fs.existsSync("build/server/index.js")) {
    throw new Error("The app is not built: run `npm run build` first (npm test does it for you).");
  }
}
