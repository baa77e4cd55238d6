import type { ChaosPlan, IncomingHeaders, Principal } from '@edgeway/platform';
import type { CanaryCaller } from './canary.js';

export interface GatewayContext {
  requestId: string;
  principal: Principal | undefined;
  /** Faults injected for this request by subgraph name (x-chaos, development only). */
  chaos: ChaosPlan;
  /** Subgraph requests this operation may still make (`MAX_SUBGRAPH_FETCHES`). */
  fetchBudget: { remaining: number };
  /** Who asks, for the subgraphs' canaries (token subject, API key, headers), and what each chose. */
  caller: CanaryCaller;
  /** The client's request headers, read only by each subgraph's request header rules. */
  clientHeaders: IncomingHeaders;
  /** Adds a header to the client's answer (a subgraph's response header rules); Set-Cookie accumulates. */
  answerHeader(name: string, value: string): void;
}
