import type { ChaosPlan, Principal } from '@edgeway/platform';

export interface GatewayContext {
  requestId: string;
  principal: Principal | undefined;
  /** Faults injected for this request by subgraph name (x-chaos, development only). */
  chaos: ChaosPlan;
}
