// The interchange validators (copied into tests/fixtures/interop, see its README): the JSON Schema
// through ajv and the XML Schema through xmllint.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Ajv } from "ajv";
import draft06 from "ajv/dist/refs/json-schema-draft-06.json" with { type: "json" };

export const INTEROP = resolve(process.cwd(), "tests/fixtures/interop");
export const XSD = join(INTEROP, "schedule.xml.xsd");

export function scheduleJsonValidator() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addMetaSchema(draft06);
  // ajv-formats is not installed; these are the formats the schema names, checked as strictly as it needs.
  ajv.addFormat("date", /^\d{4}-\d{2}-\d{2}$/);
  ajv.addFormat("date-time", /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
  ajv.addFormat("uuid", /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
  ajv.addFormat("uri", /^[a-z][a-z0-9+.-]*:[^\s]*$/i);
  ajv.addFormat("color", /^#[0-9a-f]{6}$/i);
  return ajv.compile(JSON.parse(readFileSync(join(INTEROP, "schedule.schema.json"), "utf8")) as object);
}

const dir = mkdtempSync(join(tmpdir(), "schedule-xml-"));

/** What xmllint says of the document against the shared XSD ("<file> validates" when it does). */
export function xmllint(xml: string, name: string): string {
  const file = join(dir, name);
  writeFileSync(file, xml, "utf8");
  try {
    return execFileSync("/bin/sh", ["-c", '/usr/bin/xmllint --noout --schema "$1" "$2" 2>&1', "xmllint", XSD, file], { encoding: "utf8" });
  } catch (error) {
    return String((error as { stdout?: string }).stdout ?? error);
  }
}
