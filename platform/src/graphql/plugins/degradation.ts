import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { degradedResponses } from '../../metrics/index.js';
import type { DegradationCollector } from '../../resilience/degradation.js';
import { groupDegraded } from '../degradedGroups.js';

/**
 * Publishes what a request left out: `extensions.degraded` lists every fallback taken (one
 * outage across a list's items as one entry, see `groupDegraded`), and the
 * response gets `Cache-Control: no-store` so a degraded answer is never cached. The HTTP status
 * is left alone (200): the client got everything that could be had.
 */
export function degradationPlugin<C extends BaseContext>(
  collectorOf: (context: C) => DegradationCollector | undefined,
): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          const degraded = collectorOf(contextValue)?.entries() ?? [];
          if (degraded.length === 0) return;
          degradedResponses.inc();
          response.http.headers.set('cache-control', 'no-store');
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, degraded: groupDegraded(degraded) };
        },
      };
    },
  };
}
