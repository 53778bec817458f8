// Two lint rules that keep the house in shape (docs/decisions/011-layers.md):
// - layers/direction: an import may only point down the layers, and between domains only to a
//   domain earlier in the stated order;
// - layers/no-cycle: no chain of relative imports leads back to the file it starts from.
// Both read relative imports only (packages are outside the house) and count type-only imports
// too: a type that points up still ties the lower layer to the higher one.
import fs from "node:fs";
import path from "node:path";

/** Lowest first. A file may import its own layer or a lower one. */
export const LAYERS = [
  { name: "lib", paths: ["app/lib/"] },
  { name: "platform", paths: ["app/platform/", "db/", "emails/", "app/locales/"] },
  { name: "modules", paths: ["app/modules/"] },
  { name: "features", paths: ["app/features/"] },
  { name: "components", paths: ["app/components/"] },
  { name: "app", paths: ["app/routes/", "app/root.tsx", "app/routes.ts", "app/entry.client.tsx", "app/entry.server.tsx", "app/startup.server.ts", "app/types.d.ts", "cli/", "server.mjs"] },
  { name: "tests", paths: ["tests/", "bench/"] },
];

/** The domains under app/modules, lowest first; those on one line are peers and may not import each other. */
export const DOMAINS = [["convenings"], ["people"], ["auth"], ["support"], ["registration"], ["names"], ["proposals"], ["agenda"], ["calendar", "actions", "messages"]];

const TEST_FILE = /\.test\.tsx?$/;

/** Where a repository-relative path sits: its layer's rank and name, and its domain's rank and name. */
export function placeOf(rel) {
  if (TEST_FILE.test(rel)) return { rank: LAYERS.length - 1, layer: "tests" };
  const rank = LAYERS.findIndex((l) => l.paths.some((p) => (p.endsWith("/") ? rel.startsWith(p) : rel === p)));
  if (rank < 0) return null;
  const place = { rank, layer: LAYERS[rank].name };
  if (place.layer === "modules") {
    const domain = rel.split("/")[2];
    const domainRank = DOMAINS.findIndex((line) => line.includes(domain));
    return { ...place, domain, domainRank };
  }
  return place;
}

/** Why `from` may not import `to`, or null when it may. */
export function directionProblem(fromRel, toRel) {
  const from = placeOf(fromRel);
  const to = placeOf(toRel);
  if (!from || !to) return null;
  if (to.rank > from.rank) return `${from.layer} may not import ${to.layer} (${toRel}): layers point down, ${LAYERS.map((l) => l.name).join(" < ")}`;
  if (from.layer === "modules" && to.layer === "modules" && from.domain !== to.domain) {
    if (to.domainRank < 0) return `app/modules/${to.domain} is not in the stated order of domains; add it to DOMAINS in eslint-rules/layers.js`;
    if (from.domainRank < 0) return `app/modules/${from.domain} is not in the stated order of domains; add it to DOMAINS in eslint-rules/layers.js`;
    if (to.domainRank >= from.domainRank)
      return `the ${from.domain} domain may not import the ${to.domain} domain (${toRel}): domains point down, ${DOMAINS.map((line) => line.join(" = ")).join(" < ")}`;
  }
  return null;
}

const EXTENSIONS = ["", ".ts", ".tsx", ".js", ".mjs", "/index.ts", "/index.tsx"];

/** The file a relative specifier names, or null (a package, or a file that is not there). */
export function resolveImport(fromFile, specifier) {
  if (!specifier.startsWith(".")) return null;
  const base = path.resolve(path.dirname(fromFile), specifier.split("?")[0]);
  for (const ext of EXTENSIONS) {
    const candidate = base + ext;
    try {
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not this one
    }
  }
  return null;
}

const IMPORT = /(?:^|[\s;])(?:import|export)\s[^;]*?from\s*["']([^"']+)["']|(?:^|[\s;(=])import\s*\(\s*["']([^"']+)["']\s*\)|(?:^|[\s;])import\s*["']([^"']+)["']/g;

// Edges of files other than the one being linted, read once per version of each file.
const edges = new Map();

function importsOf(file) {
  let stat;
  try {
    stat = fs.statSync(file);
  } catch {
    return [];
  }
  const cached = edges.get(file);
  if (cached && cached.mtimeMs === stat.mtimeMs) return cached.targets;
  const source = fs.readFileSync(file, "utf8");
  const targets = [];
  for (const m of source.matchAll(IMPORT)) {
    const target = resolveImport(file, m[1] ?? m[2] ?? m[3]);
    if (target) targets.push(target);
  }
  edges.set(file, { mtimeMs: stat.mtimeMs, targets });
  return targets;
}

/** A chain of imports from `start` back to `file`, or null. */
export function cycleThrough(file, start, readImports = importsOf) {
  const seen = new Set();
  const chain = [];
  const visit = (node) => {
    if (node === file) return true;
    if (seen.has(node)) return false;
    seen.add(node);
    chain.push(node);
    for (const next of readImports(node)) if (visit(next)) return true;
    chain.pop();
    return false;
  };
  return visit(start) ? chain : null;
}

function eachImport(context, check) {
  const onSource = (node) => {
    if (node.source && typeof node.source.value === "string") check(node.source, node.source.value);
  };
  return {
    ImportDeclaration: onSource,
    ExportNamedDeclaration: onSource,
    ExportAllDeclaration: onSource,
    ImportExpression: (node) => {
      if (node.source.type === "Literal" && typeof node.source.value === "string") check(node.source, node.source.value);
    },
  };
}

const relative = (context, file) => path.relative(context.cwd, file).split(path.sep).join("/");

/** @type {import("eslint").Rule.RuleModule} */
const direction = {
  meta: { type: "problem", docs: { description: "imports point down the layers and the order of domains" }, schema: [], messages: { up: "{{problem}}. See docs/decisions/011-layers.md." } },
  create(context) {
    const file = context.filename;
    return eachImport(context, (node, specifier) => {
      const target = resolveImport(file, specifier);
      if (!target) return;
      const problem = directionProblem(relative(context, file), relative(context, target));
      if (problem) context.report({ node, messageId: "up", data: { problem } });
    });
  },
};

/** @type {import("eslint").Rule.RuleModule} */
const noCycle = {
  meta: { type: "problem", docs: { description: "no chain of imports leads back to the importing file" }, schema: [], messages: { cycle: "This import closes a cycle: {{chain}}. See docs/decisions/011-layers.md." } },
  create(context) {
    const file = context.filename;
    return eachImport(context, (node, specifier) => {
      const target = resolveImport(file, specifier);
      if (!target) return;
      const chain = cycleThrough(file, target);
      if (chain) context.report({ node, messageId: "cycle", data: { chain: [file, ...chain, file].map((f) => relative(context, f)).join(" -> ") } });
    });
  },
};

/** @type {import("eslint").ESLint.Plugin} */
const plugin = { meta: { name: "layers" }, rules: { direction, "no-cycle": noCycle } };
export default plugin;
