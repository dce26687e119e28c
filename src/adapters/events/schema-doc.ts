import { eventJsonSchemas, SCHEMA_GROUPS, type SchemaName } from './envelope-schema';

/**
 * The generated JSON Schema blocks of docs/events.md: each schema sits in a ```json fence right after a
 * `<!-- schema: <name> -->` marker. scripts/print-event-schemas.mjs --write regenerates them; the unit test
 * compares them with the generated schemas, so the documented contract cannot drift from the code.
 */

export { eventJsonSchemas };

const BLOCK = /<!-- schema: ([\w.*-]+) -->\n```json\n[\s\S]*?\n```/g;

export function schemaBlock(name: SchemaName): string {
  return `<!-- schema: ${name} -->\n\`\`\`json\n${JSON.stringify(eventJsonSchemas()[name], null, 2)}\n\`\`\``;
}

/** The markdown with every schema block regenerated; throws when a schema has no block. */
export function renderSchemaBlocks(markdown: string): string {
  const missing = (Object.keys(SCHEMA_GROUPS) as SchemaName[]).filter(
    (n) => !markdown.includes(`<!-- schema: ${n} -->`),
  );
  if (missing.length)
    throw new Error(
      `docs/events.md has no block for ${missing.join(', ')}: add "<!-- schema: <name> -->" followed by an empty json fence`,
    );
  return markdown.replace(BLOCK, (_, name: string) => {
    if (!(name in SCHEMA_GROUPS)) throw new Error(`docs/events.md has a block for an unknown schema ${name}`);
    return schemaBlock(name as SchemaName);
  });
}

/** The schema blocks found in the markdown, parsed, by name. */
export function documentedSchemas(markdown: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const m of markdown.matchAll(BLOCK)) {
    const json = m[0].slice(m[0].indexOf('```json\n') + 8, -4);
    out[m[1]!] = JSON.parse(json) as unknown;
  }
  return out;
}
