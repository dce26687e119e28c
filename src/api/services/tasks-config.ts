import Ajv, { type ValidateFunction } from 'ajv';
import { planForTask } from '../../domain/routines/next-run';
import { type TaskSchedulePlan, TaskTimingError } from '../../domain/routines/schedule';
import { WEEKDAYS } from '../../domain/weekdays';
import { AppError } from '../errors';

/**
 * A task's config: the template's defaults under the person's values, checked against the template's JSON
 * Schema with ajv (the schema is data in app.task_templates, so a new template needs no code). Tasks made
 * without a template are checked against GENERIC_CONFIG_SCHEMA, the same fields every template draws from.
 */
const HHMM = { type: 'string', pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' };
export const GENERIC_CONFIG_SCHEMA = {
  type: 'object',
  properties: {
    times: { type: 'array', minItems: 1, maxItems: 6, uniqueItems: true, items: HHMM },
    daysOfWeek: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: [...WEEKDAYS] } },
    everyHours: { type: 'integer', minimum: 1, maximum: 12 },
    from: HHMM,
    to: HHMM,
    windowMinutes: { type: 'integer', minimum: 1, maximum: 720 },
  },
  additionalProperties: false,
} as const;

const ajv = new Ajv({ allErrors: true });
/** Compiled validators by schema text: templates are few and fixed, so this stays small. */
const compiled = new Map<string, ValidateFunction>();

function validatorFor(schema: unknown): ValidateFunction {
  const key = JSON.stringify(schema);
  let v = compiled.get(key);
  if (!v) {
    v = ajv.compile(schema as object);
    compiled.set(key, v);
  }
  return v;
}

/** The person's config over the defaults, validated: a 422 naming every failing field otherwise. */
export function mergedConfig(
  defaults: Record<string, unknown>,
  config: Record<string, unknown>,
  schema: unknown = GENERIC_CONFIG_SCHEMA,
): Record<string, unknown> {
  const merged = { ...defaults, ...config };
  const validate = validatorFor(schema);
  if (!validate(merged)) {
    const issues = (validate.errors ?? []).map((e) => ({
      path: ['config', ...e.instancePath.split('/').filter(Boolean)].join('.') || 'config',
      message:
        e.keyword === 'required'
          ? `missing required field ${String((e.params as { missingProperty: string }).missingProperty)}`
          : e.keyword === 'additionalProperties'
            ? `unknown field ${String((e.params as { additionalProperty: string }).additionalProperty)}`
            : (e.message ?? 'invalid'),
      code: e.keyword,
    }));
    throw new AppError(
      'validation',
      'invalid_task_config',
      `The task config is not valid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      issues,
    );
  }
  return merged;
}

/** The schedule a task asks for (undefined: it never fires); a 422 when its timing is inconsistent. */
export function planOf(row: {
  taskType: string;
  config: unknown;
  timezone: string;
  reminderAt: Date | null;
}): TaskSchedulePlan | undefined {
  try {
    return planForTask({ ...row, reminderAtMs: row.reminderAt?.getTime() ?? null });
  } catch (err) {
    if (err instanceof TaskTimingError)
      throw new AppError('validation', 'invalid_task_config', `The task config is not valid: ${err.message}`, [
        { path: 'config', message: err.message, code: 'schedule' },
      ]);
    throw err;
  }
}
