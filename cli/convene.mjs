// The operator's command line (`npm run convene -- COMMAND`). `solve` runs from a bundle of the
// scheduler alone, built with esbuild on first use and again whenever one of its sources
// changes, so it starts in a fraction of a second; every other command loads the TypeScript
// entry (cli/convene.ts) through tsx.
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);

async function solveBundle() {
  const dir = path.join(root, "node_modules", ".cache", "convene");
  const bundle = path.join(dir, "solve.mjs");
  const meta = path.join(dir, "solve.meta.json");
  const fresh = () => {
    if (!existsSync(bundle) || !existsSync(meta)) return false;
    const built = statSync(bundle).mtimeMs;
    const inputs = Object.keys(JSON.parse(readFileSync(meta, "utf8")).inputs);
    return inputs.every((file) => existsSync(path.join(root, file)) && statSync(path.join(root, file)).mtimeMs <= built);
  };
  if (!fresh()) {
    const { build } = await import("esbuild");
    const result = await build({
      absWorkingDir: root,
      entryPoints: ["cli/solve.ts"],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      outfile: bundle,
      metafile: true,
      logLevel: "error",
    });
    const { writeFileSync } = await import("node:fs");
    writeFileSync(meta, JSON.stringify(result.metafile));
  }
  return import(pathToFileURL(bundle).href);
}

if (args[0] === "solve") {
  const { solveCommand } = await solveBundle();
  process.exitCode = await solveCommand(args.slice(1));
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("./convene.ts");
}
