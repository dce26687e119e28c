import type { HealthChecker } from '../../../observability/health-checks';
import { CHECK_NAMES, type CheckName } from '../../../domain/health';
import { notFound } from '../../errors';
import type { AppRouteHandler } from '../../types';
import type * as routes from './health.routes';

const isCheckName = (name: string): name is CheckName => (CHECK_NAMES as readonly string[]).includes(name);

/** What keeps this process from doing its work (undefined: nothing); the API alone has nothing to report. */
export type LivenessProblem = () => Promise<string | undefined>;

export function healthHandlers(health: HealthChecker, problem?: LivenessProblem) {
  const liveness: AppRouteHandler<typeof routes.liveness> = async (c) => {
    const detail = await problem?.();
    return detail === undefined
      ? c.json({ status: 'ok' as const }, 200)
      : c.json({ status: 'failing' as const, detail }, 503);
  };

  const ping: AppRouteHandler<typeof routes.ping> = (c) => c.text('pong', 200);

  const readiness: AppRouteHandler<typeof routes.readiness> = async (c) => {
    const r = await health.ready();
    return r.ready ? c.json(r, 200) : c.json(r, 503);
  };

  // UNHEALTHY (the database or Temporal failing) is 503 so a load balancer or monitor acting on the status code
  // sees it; DEGRADED still serves requests and stays 200.
  const detailed: AppRouteHandler<typeof routes.detailed> = async (c) => {
    const r = await health.runAll();
    return r.status === 'UNHEALTHY' ? c.json(r, 503) : c.json(r, 200);
  };

  const oneCheck: AppRouteHandler<typeof routes.oneCheck> = async (c) => {
    const name = c.req.valid('param').check;
    if (!isCheckName(name)) throw notFound('health_check', name);
    const r = await health.run(name);
    return r.status === 'UNHEALTHY' ? c.json(r, 503) : c.json(r, 200);
  };

  return { liveness, ping, readiness, detailed, oneCheck };
}
