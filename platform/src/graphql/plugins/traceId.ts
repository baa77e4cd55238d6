import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { currentTraceId } from '../../telemetry/trace.js';

/** `extensions.traceId` on every answer: the id a client quotes in a bug report to find the trace. */
export function traceIdPlugin<C extends BaseContext>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      const traceId = currentTraceId();
      if (!traceId) return;
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, traceId };
        },
      };
    },
  };
}
