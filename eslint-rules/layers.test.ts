import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ESLint } from "eslint";
import tseslint from "typescript-eslint";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import layers, { cycleThrough, directionProblem, placeOf, resolveImport } from "./layers.js";

describe("where a file sits", () => {
  it("places each folder in its layer and each domain in its order", () => {
    expect(placeOf("app/lib/format.ts")).toEqual({ rank: 0, layer: "lib" });
    expect(placeOf("db/schema.ts")).toEqual({ rank: 1, layer: "platform" });
    expect(placeOf("emails/index.ts")).toEqual({ rank: 1, layer: "platform" });
    expect(placeOf("app/modules/people/people.server.ts")).toEqual({ rank: 2, layer: "modules", domain: "people", domainRank: 1 });
    expect(placeOf("app/modules/actions/actions.server.ts")).toEqual({ rank: 2, layer: "modules", domain: "actions", domainRank: 8 });
    expect(placeOf("app/features/demo/seed.ts")).toEqual({ rank: 3, layer: "features" });
    expect(placeOf("app/routes/_index.tsx")).toEqual({ rank: 5, layer: "app" });
    expect(placeOf("app/modules/agenda/solver.test.ts")).toEqual({ rank: 6, layer: "tests" });
    expect(placeOf("README.md")).toBeNull();
  });

  it("allows imports down and within a domain, refuses them up and between peers", () => {
    expect(directionProblem("app/routes/x.tsx", "app/modules/agenda/solver.ts")).toBeNull();
    expect(directionProblem("app/modules/agenda/publish.server.ts", "app/modules/agenda/published.server.ts")).toBeNull();
    expect(directionProblem("app/modules/proposals/a.ts", "app/modules/people/b.ts")).toBeNull();
    expect(directionProblem("app/modules/agenda/solver.test.ts", "tests/factories.ts")).toBeNull();
    expect(directionProblem("app/platform/db.server.ts", "app/modules/people/people.server.ts")).toBe(
      "platform may not import modules (app/modules/people/people.server.ts): layers point down, lib < platform < modules < features < components < app < tests",
    );
    expect(directionProblem("app/modules/people/a.ts", "app/modules/proposals/b.ts")).toBe(
      "the people domain may not import the proposals domain (app/modules/proposals/b.ts): domains point down, convenings < people < auth < support < registration < names < proposals < agenda < calendar = actions = messages",
    );
    expect(directionProblem("app/modules/calendar/a.ts", "app/modules/actions/b.ts")).toMatch(/^the calendar domain may not import the actions domain/);
    expect(directionProblem("app/modules/newthing/a.ts", "app/modules/people/b.ts")).toBe("app/modules/newthing is not in the stated order of domains; add it to DOMAINS in eslint-rules/layers.js");
  });

  it("finds a cycle and the chain that makes it", () => {
    const graph: Record<string, string[]> = { a: ["b"], b: ["c", "d"], c: [], d: ["a"], e: ["a"] };
    expect(cycleThrough("a", "b", (f) => graph[f] ?? [])).toEqual(["b", "d"]);
    expect(cycleThrough("e", "a", (f) => graph[f] ?? [])).toBeNull();
  });
});

describe("npm run lint", () => {
  let root: string;
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  const lint = async (files: string[]) => {
    const eslint = new ESLint({
      cwd: root,
      overrideConfigFile: true,
      overrideConfig: [{ files: ["**/*.ts"], languageOptions: { parser: tseslint.parser as any }, plugins: { layers }, rules: { "layers/direction": "error", "layers/no-cycle": "error" } }],
    });
    const results = await eslint.lintFiles(files);
    return results.flatMap((r) => r.messages.map((m) => `${path.relative(root, r.filePath)}:${m.line} ${m.ruleId}: ${m.message}`));
  };

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "convene-layers-"));
    write("app/lib/dates.ts", 'export const day = 1;\n');
    write("app/platform/db.server.ts", 'import { day } from "../lib/dates";\nexport const db = day;\n');
    write("app/modules/people/people.server.ts", 'import { db } from "../../platform/db.server";\nexport const person = db;\n');
    write("app/modules/proposals/proposals.server.ts", 'import { person } from "../people/people.server";\nexport const proposal = person;\n');
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it("passes imports that point down", async () => {
    expect(await lint(["app"])).toEqual([]);
    expect(resolveImport(path.join(root, "app/platform/db.server.ts"), "../lib/dates")).toBe(path.join(root, "app/lib/dates.ts"));
  });

  it("refuses an upward import and a cycle", async () => {
    write("app/lib/dates.ts", 'import type { db } from "../platform/db.server";\nexport const day = 1;\nexport type Db = typeof db;\n');
    write("app/modules/people/people.server.ts", 'import { db } from "../../platform/db.server";\nexport const person = db;\nexport const later = () => import("../proposals/proposals.server");\n');
    expect(await lint(["app/lib/dates.ts", "app/modules/people/people.server.ts"])).toEqual([
      "app/lib/dates.ts:1 layers/direction: lib may not import platform (app/platform/db.server.ts): layers point down, lib < platform < modules < features < components < app < tests. See docs/decisions/011-layers.md.",
      "app/lib/dates.ts:1 layers/no-cycle: This import closes a cycle: app/lib/dates.ts -> app/platform/db.server.ts -> app/lib/dates.ts. See docs/decisions/011-layers.md.",
      "app/modules/people/people.server.ts:3 layers/direction: the people domain may not import the proposals domain (app/modules/proposals/proposals.server.ts): domains point down, convenings < people < auth < support < registration < names < proposals < agenda < calendar = actions = messages. See docs/decisions/011-layers.md.",
      "app/modules/people/people.server.ts:3 layers/no-cycle: This import closes a cycle: app/modules/people/people.server.ts -> app/modules/proposals/proposals.server.ts -> app/modules/people/people.server.ts. See docs/decisions/011-layers.md.",
    ]);
  });
});

describe("this repository", () => {
  it("has no import that points up and no cycle", () => {
    const repo = path.resolve(__dirname, "..");
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        if (["node_modules", "build", "data", ".git"].includes(entry.name)) continue;
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (/\.(ts|tsx|mjs)$/.test(entry.name)) files.push(full);
      }
    };
    for (const top of ["app", "db", "emails", "cli", "tests", "bench"]) walk(path.join(repo, top));
    expect(files.length).toBeGreaterThan(200);
    const problems: string[] = [];
    const memo = new Map<string, string[]>();
    const importsOf = (file: string): string[] => memo.get(file) ?? memo.set(file, readImports(file)).get(file)!;
    const readImports = (file: string) =>
      [...fs.readFileSync(file, "utf8").matchAll(/(?:import|export)\s[^;]*?from\s*["'](\.[^"']+)["']|import\(\s*["'](\.[^"']+)["']\s*\)/g)].flatMap((m) => {
        const target = resolveImport(file, m[1] ?? m[2]!);
        return target ? [target] : [];
      });
    for (const file of files) {
      for (const target of importsOf(file)) {
        const problem = directionProblem(path.relative(repo, file), path.relative(repo, target));
        if (problem) problems.push(`${path.relative(repo, file)}: ${problem}`);
        const chain = cycleThrough(file, target, importsOf);
        if (chain) problems.push(`cycle: ${[file, ...chain].map((f) => path.relative(repo, f)).join(" -> ")}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
