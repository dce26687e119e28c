import v8 from 'node:v8';
import { z } from 'zod';

/**
 * How the long-running processes (`dev`, `api`, `worker`) size their V8 heaps. Zod fields src/config.ts
 * spreads into its schema, and the one function that applies them.
 */
export const nodeHeapEnvShape = {
  /**
   * V8's heap growing factor, as 1 + N/100, for every isolate of the process (the main thread and the
   * workflow threads); 0 leaves it to V8. Why 100 (a factor of 2): under a meal backlog V8's own heuristics
   * let the main thread's heap grow to ~400 MB of mostly garbage before a full collection (node RSS peaks of
   * 740-840 MB); at 2 the peak stayed at 564-576 MB with the same CPU per meal and the same drain time
   * (`npx tsx bench/node-heap.ts`, docs/performance.md "Memory of the node process"). It bounds nothing:
   * a heap that needs more still grows, so no out-of-memory risk is added. Measured on a host where V8's own
   * factor goes up to 4; with a small heap limit (a memory-capped container) V8 already grows by 1.1-2 and
   * near its limit by less, which this fixed factor replaces: set 0 there unless measured. Below 10 (a factor
   * under 1.1) full collections would run almost back to back, so those values are refused.
   */
  WELLFLOW_HEAP_GROWING_PERCENT: z.coerce
    .number()
    .int()
    .max(1_000)
    .refine((v) => v === 0 || v >= 10, 'must be 0 (V8 decides) or 10-1000')
    .default(100),
};

export type NodeHeapEnv = z.infer<z.ZodObject<typeof nodeHeapEnvShape>>;

/**
 * Sets the growing factor for the rest of the process's life. V8 reads it at every full collection, so it
 * takes effect from the next one, and workflow threads started later get it too (V8 flags are per process).
 */
export function applyNodeHeapEnv(env: NodeHeapEnv): void {
  if (env.WELLFLOW_HEAP_GROWING_PERCENT > 0)
    v8.setFlagsFromString(`--heap-growing-percent=${env.WELLFLOW_HEAP_GROWING_PERCENT}`);
}
