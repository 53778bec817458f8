// The HTTP server: security headers on every response, the client's address for rate limits,
// static assets, and the Remix app. It runs the app's start-up (configuration check,
// migrations, background jobs) before it listens. See docs/decisions/002-custom-express-server.md.
import crypto from "node:crypto";
import process from "node:process";
import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import zlib from "node:zlib";
import express from "express";

const dev = process.argv.includes("--dev");
// React and Remix pick their production code from NODE_ENV when first imported, below.
process.env.NODE_ENV ??= dev ? "development" : "production";
const MAX_BODY_BYTES = 1024 * 1024;

function fail(error) {
  // Configuration and database problems are the operator's to fix: a message, not a stack.
  if (error && (error.name === "ConfigError" || error.name === "DatabaseOpenError")) {
    console.error(error.message);
  } else {
    console.error("Convene could not start:", error);
  }
  process.exit(1);
}

const vite = dev
  ? await import("vite").then((v) => v.createServer({ server: { middlewareMode: true } }))
  : undefined;

async function loadBuild() {
  return vite ? vite.ssrLoadModule("virtual:remix/server-build") : import("./build/server/index.js");
}

let build;
try {
  build = await loadBuild();
} catch (error) {
  if (!dev && error?.code === "ERR_MODULE_NOT_FOUND") {
    fail(new Error("The app is not built yet: run `npm run build` first."));
  }
  fail(error);
}

const { startApp, stopApp } = build.entry.module;
let started;
try {
  started = await startApp();
} catch (error) {
  fail(error);
}

const host = process.env.HOST || "127.0.0.1";
const port = Number(process.env.PORT || 3000);
const appUrl = new URL(process.env.APP_URL || `http://localhost:${port}`);
const logRequests = process.env.LOG_REQUESTS !== "off";

const app = express();
app.disable("x-powered-by");
if (process.env.TRUST_PROXY) app.set("trust proxy", process.env.TRUST_PROXY);

app.use((req, res, next) => {
  const nonce = crypto.randomBytes(16).toString("base64");
  res.locals.cspNonce = nonce;
  const scriptSrc = dev ? "'self' 'unsafe-inline'" : `'self' 'nonce-${nonce}'`;
  const connectSrc = dev ? "'self' ws:" : "'self'";
  res.setHeader(
    "Content-Security-Policy",
    [
      "default-src 'self'",
      `script-src ${scriptSrc}`,
      "style-src 'self'",
      "img-src 'self' data:",
      "font-src 'self'",
      `connect-src ${connectSrc}`,
      "form-action 'self'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "object-src 'none'",
    ].join("; "),
  );
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Referrer-Policy", "same-origin");
  res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()");
  if (appUrl.protocol === "https:") res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  next();
});

// A request body larger than any form of ours is refused before anything reads it. A body must
// say its length (browsers and mail clients always do): one sent in chunks could not be measured
// before it is read.
app.use((req, res, next) => {
  if (req.headers["transfer-encoding"] !== undefined && req.headers["content-length"] === undefined) {
    res.status(411).type("text/plain").send("Send the length of what you send (Content-Length).");
    return;
  }
  if (Number(req.headers["content-length"] ?? 0) > MAX_BODY_BYTES) {
    res.status(413).type("text/plain").send("What you sent is too large.");
    return;
  }
  next();
});

if (logRequests) {
  app.use((req, res, next) => {
    const start = process.hrtime.bigint();
    res.on("finish", () => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      // Path only, and feed tokens masked: query strings and feed URLs hold secrets.
      const where = req.path.replace(/^\/feeds\/[^/]+/, "/feeds/…");
      console.log(`${req.method} ${where} ${res.statusCode} ${ms.toFixed(1)}ms`);
    });
    next();
  });
}

// A session's calendar is published as /convenings/:slug/sessions/:id.ics; routes cannot have a
// parameter followed by ".ics" in one segment, so that address is served by .../:id/calendar.ics.
app.use((req, res, next) => {
  const match = /^(\/convenings\/[^/]+\/sessions\/\d+)\.ics(\?.*)?$/.exec(req.url);
  // The Remix adapter builds its Request from originalUrl, so both change.
  if (match) req.url = req.originalUrl = `${match[1]}/calendar.ics${match[2] ?? ""}`;
  next();
});

// Brotli with a 256 KB window (its default 4 MB allocation per response dominated small pages),
// and no flush per chunk: Remix's adapter flushes after every write, which made the compressor
// emit many tiny blocks; the response still streams as it is written.
app.use(compression({ brotli: { params: { [zlib.constants.BROTLI_PARAM_LGWIN]: 18 } } }));
app.use((req, res, next) => {
  res.flush = () => {};
  next();
});

if (vite) {
  app.use(vite.middlewares);
} else {
  app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
  app.use(express.static("build/client", { maxAge: "1h" }));
}

app.all(
  "*",
  createRequestHandler({
    build: vite ? loadBuild : build,
    mode: dev ? "development" : "production",
    getLoadContext: (req, res) => ({
      cspNonce: res.locals.cspNonce,
      clientAddress: req.ip ?? req.socket.remoteAddress ?? "unknown",
    }),
  }),
);

// An address that cannot be decoded (broken percent-encoding) is the client's mistake: a 400,
// not a stack trace in the log. Anything else that reaches here is logged by path only.
app.use((error, req, res, next) => {
  if (res.headersSent) return next(error);
  if (error instanceof URIError || error?.status === 400) {
    res.status(400).type("text/plain").send("This address cannot be read.");
    return;
  }
  console.error(`Unexpected error on ${req.method} ${req.path.replace(/^\/feeds\/[^/]+/, "/feeds/…")}:`, error?.stack ?? error);
  res.status(500).type("text/plain").send("Something went wrong on our side.");
});

const server = app.listen(port, host, () => {
  console.log(`Convene is listening on http://${host}:${port} (database: ${started.databaseKind}, public address ${appUrl.origin})`);
});
server.on("error", (error) => fail(error));

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  server.close();
  server.closeAllConnections?.();
  await stopApp().catch(() => {});
  await vite?.close();
  process.exit(0);
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
