import type { Metrics } from '../../../observability/metrics';
import { createRouter } from '../../router';
import { metricsHandlers } from './metrics.handlers';
import * as routes from './metrics.routes';

export function metricsRouter(metrics: Pick<Metrics, 'registry'>) {
  return createRouter().openapi(routes.scrape, metricsHandlers(metrics).scrape);
}
