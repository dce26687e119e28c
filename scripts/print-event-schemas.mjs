#!/usr/bin/env node
// Prints the JSON Schemas of the domain events (generated from the zod schemas in
// src/adapters/events/schema.ts, the single source of the contract; envelope-schema.ts turns them into JSON Schema).
//
//   node scripts/print-event-schemas.mjs            all schemas as one JSON object
//   node scripts/print-event-schemas.mjs --write    regenerate the schema blocks in docs/events.md
//
// docs/events.md holds one ```json block per schema after a `<!-- schema: <name> -->` marker;
// tests/unit/domain-events-schemas.test.ts fails when a block differs from what this script generates.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
require('tsx/cjs'); // the sources are TypeScript, loaded as bin/wellflow.js loads them
const { eventJsonSchemas, renderSchemaBlocks } = require(path.join(root, 'src/adapters/events/schema-doc.ts'));

if (process.argv.includes('--write')) {
  const doc = path.join(root, 'docs', 'events.md');
  fs.writeFileSync(doc, renderSchemaBlocks(fs.readFileSync(doc, 'utf8')));
  process.stdout.write(`updated ${path.relative(root, doc)}\n`);
} else {
  process.stdout.write(`${JSON.stringify(eventJsonSchemas(), null, 2)}\n`);
}
