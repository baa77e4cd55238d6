import type { Principal } from '@edgeway/platform';

export interface GatewayContext {
  requestId: string;
  principal: Principal | undefined;
}
