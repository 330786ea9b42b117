// Writes the server's OpenAPI document to src/generated/openapi.json, from the Python app itself
// (no server needed), for openapi-typescript to turn into the board's types: when the server's
// response models change, `tsc` fails wherever the board reads them the old way.
// The interpreter: GROUNDNET_PYTHON, else the repository's .venv, else python3 on PATH.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../../../..");
const venv = resolve(repo, ".venv/bin/python");
const python = process.env.GROUNDNET_PYTHON || (existsSync(venv) ? venv : "python3");
const code = [
  "import json, sys",
  "from groundnet.api.app import create_app",
  "json.dump(create_app().openapi(), sys.stdout, indent=1, sort_keys=True)",
].join("\n");

let schema;
try {
  schema = execFileSync(python, ["-c", code], { encoding: "utf8", maxBuffer: 64 << 20, stdio: ["ignore", "pipe", "inherit"] });
} catch (err) {
  console.error(`schema: ${python} could not write the API schema (${err.message.split("\n")[0]}); ` +
    "install groundnet first (./scripts/setup.sh) or set GROUNDNET_PYTHON to an interpreter that has it");
  process.exit(1);
}
const out = resolve(here, "../src/generated/openapi.json");
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, schema);
console.log(`schema: ${Object.keys(JSON.parse(schema).paths).length} paths from ${python} -> src/generated/openapi.json`);
