import { z } from 'zod';
import {
  CASE_EVENT_TYPES,
  DATA_SCHEMAS,
  type DomainEnvelope,
  EVENT_SOURCE,
  type EventType,
  SPEC_VERSION,
  TASK_EVENTS,
} from './schema';

/**
 * The envelope as a schema: the documented JSON Schema of each message shape (docs/events.md) and the strict
 * parse consumers and tests validate received messages with. The types and `buildDomainEvent` are in schema.ts.
 */

/**
 * Documented schemas: one per message shape. The seven `crisis.case.*` types share one shape, so they are
 * one schema whose `type` is an enum; meal and insight events have one type each.
 */
export const SCHEMA_GROUPS = {
  'meal.analyzed': ['meal.analyzed'],
  'insight.generated': ['insight.generated'],
  'ops.unhealthy': ['ops.unhealthy'],
  'crisis.case.*': CASE_EVENT_TYPES,
  'task.*': TASK_EVENTS,
  'task.executed': ['task.executed'],
  'user.erased': ['user.erased'],
} as const satisfies Record<string, readonly EventType[]>;
export type SchemaName = keyof typeof SCHEMA_GROUPS;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function envelopeSchema(name: SchemaName, strict = false) {
  const types = SCHEMA_GROUPS[name] as readonly EventType[];
  const data = DATA_SCHEMAS[types[0]!];
  const shape = {
    specversion: z.literal(SPEC_VERSION).describe('CloudEvents version.'),
    id: z
      .string()
      .max(250)
      .regex(new RegExp(`^(${types.map(escape).join('|')}):[A-Za-z0-9_.:-]+$`))
      .describe(
        '`<type>:<fact key>`, deterministic per business fact: a redelivery repeats it (also the Nats-Msg-Id header). Dedupe by it.',
      ),
    type: types.length === 1 ? z.literal(types[0]!) : z.enum(types as [EventType, ...EventType[]]),
    source: z.literal(EVENT_SOURCE),
    time: z.iso.datetime().describe('When the fact happened (UTC); the same on every redelivery.'),
    subject: z.uuid().optional().describe('The id of the entity the event is about (mealId, insightId, caseId).'),
    data: strict ? z.strictObject(data.shape) : data,
  };
  return (strict ? z.strictObject(shape) : z.object(shape)).meta({ title: name, description: data.description });
}

/**
 * The published JSON Schema (draft 2020-12) of one message shape. zod adds a regex next to every `format`
 * (uuid, date, date-time) and the safe-integer bound to unbounded ints; both are dropped to keep the
 * documented schema readable (`format` states the same constraint).
 */
export function eventJsonSchema(name: SchemaName): Record<string, unknown> {
  return z.toJSONSchema(envelopeSchema(name), {
    target: 'draft-2020-12',
    override: ({ jsonSchema }) => {
      const s = jsonSchema as Record<string, unknown>;
      if (s.format && s.pattern) delete s.pattern;
      if (s.maximum === Number.MAX_SAFE_INTEGER) delete s.maximum;
    },
  }) as Record<string, unknown>;
}

/** Every documented schema by name (what scripts/print-event-schemas.mjs prints and docs/events.md shows). */
export function eventJsonSchemas(): Record<SchemaName, Record<string, unknown>> {
  return Object.fromEntries(Object.keys(SCHEMA_GROUPS).map((n) => [n, eventJsonSchema(n as SchemaName)])) as Record<
    SchemaName,
    Record<string, unknown>
  >;
}

/** Strictly validates a received message (unknown fields anywhere are an error): for consumers and tests. */
export function parseDomainEvent(raw: unknown): DomainEnvelope {
  const type = (raw as { type?: unknown } | null)?.type;
  const name = (Object.keys(SCHEMA_GROUPS) as SchemaName[]).find((n) =>
    (SCHEMA_GROUPS[n] as readonly unknown[]).includes(type),
  );
  if (!name) throw new Error(`not a known domain event type: ${String(type)}`);
  return envelopeSchema(name, true).parse(raw) as unknown as DomainEnvelope;
}
