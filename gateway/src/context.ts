import type { ChaosPlan, Principal } from '@edgeway/platform';
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
}
