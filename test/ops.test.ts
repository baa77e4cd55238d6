import { readdirSync, readFileSync } from 'node:fs';
import { commonEnv, edgeEnv, internalEnv, loadConfig, metrics } from '@edgeway/platform';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { GATEWAY_NODE_OPTIONS, SERVICES, type ServiceName } from '../scripts/system.js';

// The deployment files under ops/ and docker-compose.yml, checked against docs/contract.md §1 (names
// and ports, from the launcher's SERVICES), the probes of section 3, and the variables the
// services actually read. No cluster or Docker engine needed: the files are parsed.
const ROOT = new URL('../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, ROOT), 'utf8');
const portOf = (name: string) => SERVICES.find((s) => s.name === name)?.port;
const EDGE: ServiceName[] = ['gateway', 'bff-web', 'bff-mobile'];

/** Every variable .env.example documents (docs/contract.md §2: "every variable is documented"). */
const DOCUMENTED = new Set([...read('.env.example').matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!));

// Loose shapes of the Kubernetes objects this test reads.
interface Probe {
  httpGet?: { path: string; port: string | number };
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } };
}
interface Container {
  name: string;
  ports: Array<{ name: string; containerPort: number }>;
  env: EnvVar[];
  envFrom?: Array<{ configMapRef?: { name: string } }>;
  readinessProbe: Probe;
  livenessProbe: Probe;
  startupProbe?: Probe;
  resources: { requests: { cpu: string; memory: string }; limits?: { memory?: string } };
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
  volumeMounts?: Array<{ name: string; mountPath: string }>;
}
interface K8sObject {
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec: Record<string, unknown> & {
    replicas?: number;
    selector?: { matchLabels: Record<string, string> } & Record<string, string>;
    template?: {
      metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
      spec: {
        containers: Container[];
        terminationGracePeriodSeconds?: number;
        volumes?: Array<{ name: string; configMap?: { name: string } }>;
      };
    };
    ports?: Array<{ name: string; port: number; targetPort: string | number }>;
    scaleTargetRef?: { kind: string; name: string };
    minReplicas?: number;
    maxReplicas?: number;
    minAvailable?: number;
  };
  data?: Record<string, string>;
}

const k8sFiles = readdirSync(new URL('ops/k8s/', ROOT)).filter((f) => f.endsWith('.yaml'));
const objects: K8sObject[] = k8sFiles
  .filter((f) => f !== 'kustomization.yaml')
  .flatMap((f) => parseAllDocuments(read(`ops/k8s/${f}`)).map((doc) => doc.toJS() as K8sObject));
const find = (kind: string, name: string) => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in ops/k8s`);
  return found;
};
const configMap = find('ConfigMap', 'edgeway').data!;

/** The environment a container gets: the ConfigMap, then its own values (secrets as placeholders). */
function environmentOf(container: Container): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) Object.assign(env, find('ConfigMap', source.configMapRef!.name).data);
  for (const variable of container.env) {
    if (variable.value !== undefined) env[variable.name] = variable.value;
    else if (variable.valueFrom?.secretKeyRef?.optional === false) env[variable.name] = 'x'.repeat(48);
  }
  return env;
}

describe('Kubernetes manifests (ops/k8s)', () => {
  it('kustomization lists every manifest', () => {
    const kustomization = parse(read('ops/k8s/kustomization.yaml')) as { resources: string[] };
    expect([...kustomization.resources].sort()).toEqual(k8sFiles.filter((f) => f !== 'kustomization.yaml').sort());
  });

  describe.each(EDGE)('%s', (name) => {
    const port = portOf(name)!;
    const deployment = find('Deployment', name);
    const template = deployment.spec.template!;
    const [container] = template.spec.containers;
    const env = environmentOf(container!);

    it('listens on its default port, named http, and tells the service so (PORT, OTEL_SERVICE_NAME)', () => {
      expect(container!.ports).toEqual([{ name: 'http', containerPort: port }]);
      expect(env.PORT).toBe(String(port));
      expect(env.OTEL_SERVICE_NAME).toBe(name);
      expect(template.metadata.annotations).toMatchObject({
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': String(port),
        'prometheus.io/path': '/metrics',
      });
    });

    it('probes liveness on /healthz and readiness on /readyz', () => {
      expect(container!.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
      expect(container!.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
      expect(container!.startupProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
    });

    it('requests resources, and gives a drain its time before the kill', () => {
      expect(container!.resources.requests.cpu).toMatch(/^\d+m?$/);
      expect(container!.resources.requests.memory).toMatch(/^\d+(Mi|Gi)$/);
      expect(container!.resources.limits?.memory).toMatch(/^\d+(Mi|Gi)$/);
      const pause = Number(container!.lifecycle?.preStop?.exec?.command.at(-1) ?? 0);
      const drainSeconds = Number(env.DRAIN_TIMEOUT_MS) / 1000;
      expect(template.spec.terminationGracePeriodSeconds).toBeGreaterThan(pause + drainSeconds);
    });

    it('runs production configuration that the service accepts, every variable documented', () => {
      expect(env.NODE_ENV).toBe('production');
      expect(env.REDIS_URL).toMatch(/^redis:\/\/redis:6379$/);
      const config = loadConfig({ ...commonEnv(0), ...edgeEnv, ...internalEnv }, env);
      expect(config.PORT).toBe(port);
      for (const variable of Object.keys(env)) expect(DOCUMENTED, variable).toContain(variable);
    });

    it('has a Service on the same port, an autoscaler and a disruption budget that select it', () => {
      const labels = template.metadata.labels;
      expect(deployment.spec.selector!.matchLabels).toEqual(labels);
      const service = find('Service', name);
      expect(service.spec.ports).toEqual([{ name: 'http', port, targetPort: 'http' }]);
      expect(service.spec.selector).toEqual(labels);
      const hpa = find('HorizontalPodAutoscaler', name);
      expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name });
      expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
      expect(hpa.spec.maxReplicas).toBeGreaterThan(hpa.spec.minReplicas!);
      const pdb = find('PodDisruptionBudget', name);
      expect(pdb.spec.selector!.matchLabels).toEqual(labels);
      expect(pdb.spec.minAvailable).toBeLessThan(hpa.spec.minReplicas!);
    });
  });

  it('points every upstream URL at a Service name on its default port', () => {
    const urls = Object.entries(configMap).filter(([key]) => key.endsWith('_URL') && key !== 'JWKS_URL');
    expect(urls.length).toBeGreaterThanOrEqual(8);
    for (const [key, value] of urls) {
      const target = new URL(value);
      if (target.protocol === 'redis:') {
        expect(find('Service', target.hostname).spec.ports?.[0]?.port).toBe(Number(target.port));
      } else if (!key.startsWith('OTEL_')) {
        expect(Number(target.port), key).toBe(portOf(target.hostname));
      }
    }
  });

  it('gives the gateway its supergraph from a ConfigMap directory (so updates reach the pod and reload) and its signing key from a Secret', () => {
    const spec = find('Deployment', 'gateway').spec.template!.spec;
    const container = spec.containers[0]!;
    const path = container.env.find((e) => e.name === 'SUPERGRAPH_PATH')!.value!;
    const mount = container.volumeMounts!.find((m) => path.startsWith(`${m.mountPath}/`))!;
    expect(spec.volumes!.find((v) => v.name === mount.name)?.configMap?.name).toBe('edgeway-supergraph');
    expect(container.env.find((e) => e.name === 'INTERNAL_SIGNING_KEY')?.valueFrom?.secretKeyRef).toMatchObject({
      name: 'edgeway-secrets',
      optional: false,
    });
  });

  it('runs the gateway with the heap settings it was measured with, inside its memory limit', () => {
    const container = find('Deployment', 'gateway').spec.template!.spec.containers[0]!;
    expect(container.env.find((e) => e.name === 'NODE_OPTIONS')?.value).toBe(GATEWAY_NODE_OPTIONS);
    const oldSpaceMiB = Number(/--max-old-space-size=(\d+)/.exec(GATEWAY_NODE_OPTIONS)?.[1]);
    const limit = (container as { resources?: { limits?: { memory?: string } } }).resources?.limits?.memory ?? '';
    expect(Number(/^(\d+)Mi$/.exec(limit)?.[1])).toBeGreaterThan(oldSpaceMiB + 128);
  });

  it('runs Redis behind a Service for the replicas to share', () => {
    expect(find('Deployment', 'redis').spec.template!.spec.containers[0]!.ports).toEqual([
      { name: 'redis', containerPort: 6379 },
    ]);
  });
});

describe('docker compose, Prometheus and Grafana (ops/)', () => {
  interface ComposeService {
    environment?: Record<string, string>;
    ports?: string[];
    volumes?: string[];
  }
  const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, ComposeService> };

  it('runs the gateway with the heap settings it was measured with', () => {
    const environment = (compose.services.gateway as { environment?: Record<string, string> }).environment;
    expect(environment?.NODE_OPTIONS).toBe(GATEWAY_NODE_OPTIONS);
  });

  it('runs every service on its default port under its name', () => {
    for (const { name, port } of SERVICES) {
      const service = compose.services[name]!;
      expect(service.environment?.PORT, name).toBe(String(port));
      expect(service.environment?.OTEL_SERVICE_NAME, name).toBe(name);
      expect(service.ports, name).toEqual([`${port}:${port}`]);
      for (const variable of Object.keys(service.environment ?? {})) {
        if (variable !== 'APOLLO_TELEMETRY_DISABLED') expect(DOCUMENTED, `${name} ${variable}`).toContain(variable);
      }
    }
  });

  it('has Prometheus scrape every service, and mounts what exists', () => {
    const prometheus = parse(read('ops/prometheus/prometheus.yml')) as {
      scrape_configs: Array<{ metrics_path: string; static_configs: Array<{ targets: string[] }> }>;
    };
    const targets = prometheus.scrape_configs.flatMap((c) => c.static_configs.flatMap((s) => s.targets));
    expect(targets.sort()).toEqual(SERVICES.map((s) => `${s.name}:${s.port}`).sort());
    expect(prometheus.scrape_configs.every((c) => c.metrics_path === '/metrics')).toBe(true);
    for (const service of ['prometheus', 'grafana']) {
      for (const volume of compose.services[service]!.volumes ?? []) {
        expect(() => readFileSync(new URL(volume.split(':')[0]!, ROOT)), volume).not.toThrow(/ENOENT/);
      }
    }
  });

  it("provisions Grafana's datasource and a dashboard whose every query names a metric the services export", async () => {
    const datasources = parse(read('ops/grafana/provisioning/datasources/datasources.yml')) as {
      datasources: Array<{ uid: string; type: string; url: string }>;
    };
    const prometheus = datasources.datasources.find((d) => d.type === 'prometheus')!;
    expect(prometheus.url).toBe('http://prometheus:9090');

    metrics.initMetrics('ops-test');
    const exported = new Set(
      (await metrics.registry.getMetricsAsJSON()).flatMap((m) =>
        String(m.type) === 'histogram' ? [`${m.name}_bucket`, `${m.name}_sum`, `${m.name}_count`] : [m.name],
      ),
    );
    const dashboard = JSON.parse(read('ops/grafana/dashboards/edgeway.json')) as {
      panels: Array<{ title: string; datasource?: { uid: string }; targets?: Array<{ expr: string }> }>;
    };
    const queries = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p, expr: t.expr })));
    expect(queries.length).toBeGreaterThan(15);
    for (const { panel, expr } of queries) {
      expect(panel.datasource?.uid, panel.title).toBe(prometheus.uid);
      const names = [...expr.matchAll(/\b((?:edgeway|process|nodejs)_[a-z0-9_]+)\b/g)].map((m) => m[1]!);
      expect(names.length, panel.title).toBeGreaterThan(0);
      for (const metric of names) expect(exported, `${panel.title}: ${metric}`).toContain(metric);
    }
  });
});
