import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { HttpEvent } from './genesys/http';

const serviceName = 'genesys-onboarding';

/** Where the functions' metrics go: this namespace, with the dimension `service` = `METRICS_SERVICE`. */
export const METRICS_NAMESPACE = 'GenesysOnboarding';
export const METRICS_SERVICE = serviceName;

/** The one logger, metrics and tracer of every function. Log lines carry ids, never a secret or an event. */
export const logger = new Logger({ serviceName });
// Metrics' own warnings go through the logger: JSON in Lambda, silent in the CLI.
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName, logger });
export const tracer = new Tracer({ serviceName });

/**
 * Counts Genesys calls, retries and time spent waiting, as metrics and debug log lines; retries after a rate
 * limit (a 429, or the token endpoint's `400 invalid_request "rate limit exceeded"`) also count as
 * `GenesysRateLimited`.
 */
export function recordGenesysEvent(event: HttpEvent): void {
  if (event.type === 'call') {
    metrics.addMetric('GenesysCalls', MetricUnit.Count, 1);
    logger.debug('genesys call', {
      method: event.method,
      path: event.path,
      status: event.status,
      ms: event.durationMs,
    });
  } else {
    metrics.addMetric('GenesysRetries', MetricUnit.Count, 1);
    metrics.addMetric('GenesysRetryWait', MetricUnit.Milliseconds, event.delayMs);
    if (event.kind === 'rate-limited') metrics.addMetric('GenesysRateLimited', MetricUnit.Count, 1);
    logger.info('genesys retry', {
      method: event.method,
      path: event.path,
      status: event.status,
      waitMs: event.delayMs,
    });
  }
}
