/**
 * The health vocabulary shared by the health endpoints, the health-report job and its ops event: defined
 * here once. The checks themselves (I/O) live in src/observability/health-checks.ts.
 */

export const HEALTH_STATUSES = ['HEALTHY', 'DEGRADED', 'UNHEALTHY'] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

export const CHECK_NAMES = [
  'database',
  'temporal',
  'workers',
  'disk',
  'memory',
  'image_store',
  'model_server',
  'crisis_alerts',
] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

export interface CheckResult {
  status: HealthStatus;
  latency_ms: number;
  detail: string;
}
