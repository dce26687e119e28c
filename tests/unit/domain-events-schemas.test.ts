import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventJsonSchemas, SCHEMA_GROUPS } from '../../src/adapters/events/envelope-schema';
import { EVENT_TYPES, subjectFor } from '../../src/adapters/events/schema';
import { documentedSchemas, renderSchemaBlocks } from '../../src/adapters/events/schema-doc';
import type { Json } from '../support/domain-event-fixtures';

/**
 * Every field name a domain event may contain, anywhere. Adding one is a deliberate contract change: it must
 * be an id, a status, a date or a count, never something a person wrote or a health measurement.
 */
const ALLOWED_FIELDS = new Set([
  'specversion',
  'id',
  'type',
  'source',
  'time',
  'subject',
  'data',
  'mealId',
  'userId',
  'outcome',
  'insightId',
  'weekStart',
  'mealCount',
  'caseId',
  'tier',
  'status',
  'level',
  'runId',
  'failing', // ops.unhealthy: a run id and health-check names
  'taskId', // task.*: ids, the task status, a run's outcome and trigger (enums)
  'executionId',
  'trigger',
]);
/** Names that would carry health content; none may ever appear (a second, explicit guard). */
const FORBIDDEN =
  /description|text|note|totals?|items?|nutrient|kcal|calor|messages?|feedback|label|entry|journal|reason|outcomeText|mood|screen/i;

/** Every object schema in a JSON Schema, with the path to it. */
function objectSchemas(schema: Json, at = '$'): { at: string; schema: Json }[] {
  const props = (schema.properties ?? {}) as Record<string, Json>;
  const here = schema.type === 'object' ? [{ at, schema }] : [];
  return [...here, ...Object.entries(props).flatMap(([k, v]) => objectSchemas(v, `${at}.${k}`))];
}

describe('JSON Schemas: no field could carry health content', () => {
  const schemas = eventJsonSchemas();

  it('cover every event type', () => {
    expect(Object.values(SCHEMA_GROUPS).flat().sort()).toEqual([...EVENT_TYPES].sort());
  });

  for (const [name, schema] of Object.entries(schemas)) {
    it(`${name}: closed objects of whitelisted fields, each an id, date, count or enum`, () => {
      const objects = objectSchemas(schema);
      expect(objects.map((o) => o.at)).toEqual(['$', '$.data']);
      for (const { at, schema: obj } of objects) {
        expect(obj.additionalProperties, `${at} must be closed`).toBe(false);
        for (const [field, prop] of Object.entries(obj.properties as Record<string, Json>)) {
          expect(ALLOWED_FIELDS.has(field), `${at}.${field} is not a whitelisted field`).toBe(true);
          expect(field, `${at}.${field}`).not.toMatch(FORBIDDEN);
          if (prop.type === 'string') {
            // no free text: a string is a constant, an enum, a format or a bounded pattern
            const constrained =
              'const' in prop || 'enum' in prop || 'format' in prop || ('pattern' in prop && 'maxLength' in prop);
            expect(constrained, `${at}.${field} is an unconstrained string`).toBe(true);
          } else if (prop.type !== 'object') {
            expect(prop.type, `${at}.${field}`).toBe('integer');
          }
          expect(prop.type, `${at}.${field} is an array`).not.toBe('array');
        }
      }
    });
  }
});

describe('docs/events.md', () => {
  const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'events.md'), 'utf8');

  it('shows exactly the generated JSON Schemas (run `node scripts/print-event-schemas.mjs --write`)', () => {
    expect(documentedSchemas(doc)).toEqual(eventJsonSchemas());
    expect(renderSchemaBlocks(doc)).toBe(doc);
  });

  it('names every subject', () => {
    for (const t of EVENT_TYPES) expect(doc).toContain(`\`${subjectFor(t)}\``);
  });
});
