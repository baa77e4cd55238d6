import { createServer, type Server, type Socket, connect } from 'node:net';

/**
 * A Service in front of replicas, as kube-proxy is one: each new TCP connection goes to the next
 * endpoint in turn; an endpoint leaves the list when its replica starts terminating and comes back
 * when the new one listens. Connections already open stay where they are, as they do on Kubernetes.
 */
export interface Balancer {
  url: string;
  endpoints: Set<string>;
  close(): Promise<void>;
}

export async function startBalancer(endpoints: Iterable<string>): Promise<Balancer> {
  const list = new Set(endpoints);
  const sockets = new Set<Socket>();
  let turn = 0;
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.once('close', () => sockets.delete(client));
    const targets = [...list];
    const target = targets[turn++ % Math.max(1, targets.length)];
    if (!target) return client.destroy();
    const { hostname, port } = new URL(target);
    const upstream = connect(Number(port), hostname);
    sockets.add(upstream);
    upstream.once('close', () => sockets.delete(upstream));
    client.pipe(upstream).pipe(client);
    client.once('error', () => upstream.destroy());
    upstream.once('error', () => client.destroy());
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    endpoints: list,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
