import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { getOperationAST } from 'graphql';
import { countError } from '../../http/observe.js';
import { fastifyRequestOf } from '../route.js';

/**
 * Request metrics that only Apollo knows: the operation's name as the document resolves it (a
 * client may leave out `operationName`), which then labels the request's metrics and access log
 * line, and one `edgeway_request_errors_total` count per error in the answer, by its code (after
 * masking, so the codes are the catalog's). Errors answered before Apollo runs (401, 413, 429)
 * are counted by the HTTP shell's error handler.
 */
export function metricsPlugin<C extends BaseContext>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart({ request }) {
      const req = fastifyRequestOf(request.http);
      if (!req) return;
      return {
        // Only now, parsed and validated, may the operation's name label metrics.
        // Apollo calls this even when no operation matched `operationName` (then refuses it).
        async didResolveOperation({ operation, operationName }) {
          if (!operation) return;
          req.operationName = operationName?.slice(0, 100) ?? undefined;
          req.operationValidated = true;
        },
        async willSendResponse({ response, document }) {
          // A document that parsed but failed validation still names its operation.
          if (!req.operationName && document) {
            req.operationName = getOperationAST(document, request.operationName)?.name?.value.slice(0, 100);
          }
          if (response.body.kind !== 'single') return;
          for (const error of response.body.singleResult.errors ?? []) {
            const code = error.extensions?.code;
            countError(req, typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR');
          }
        },
      };
    },
  };
}
