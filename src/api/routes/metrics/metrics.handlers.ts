import type { Metrics } from '../../../observability/metrics';
import type { AppRouteHandler } from '../../types';
import type * as routes from './metrics.routes';

export function metricsHandlers(metrics: Pick<Metrics, 'registry'>) {
  const scrape: AppRouteHandler<typeof routes.scrape> = async (c) => {
    const body = await metrics.registry.metrics();
    // `text` with prom-client's own content type (it names the exposition format version). No caching by
    // proxies: scrapes must see current values (business counts are cached server-side instead).
    return c.text(body, 200, { 'Content-Type': metrics.registry.contentType, 'Cache-Control': 'no-store' });
  };
  return { scrape };
}
