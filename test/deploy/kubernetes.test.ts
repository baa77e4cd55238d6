import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { commonEnv, edgeEnv, internalEnv, loadConfig } from '@edgeway/platform';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { GATEWAY_NODE_OPTIONS, SERVICES, type ServiceName } from '../../scripts/system.js';
import { available } from '../support/prerequisites.js';
import { type ComposeFile } from './compose.js';
import { type K8sObject, relabel, type RelabelConfig, validateSchema } from './kubernetes.js';

// ops/k8s as `kubectl kustomize` renders it (what `kubectl apply -k` sends), validated against the
// Kubernetes API schemas, then checked against docs/contract.md §1 (names, ports), the variables
// the services accept, docker-compose.yml's images and the Prometheus job that scrapes it.
const ROOT = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, ROOT), 'utf8');
const portOf = (name: string) => SERVICES.find((s) => s.name === name)?.port;
const EDGE: ServiceName[] = ['gateway', 'bff-web', 'bff-mobile'];
const DOCUMENTED = new Set([...read('.env.example').matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!));

const hasKubectl = available({ command: 'kubectl', aptPackage: 'kubectl', what: 'the Kubernetes manifest tests' });
const objects: K8sObject[] = hasKubectl
  ? parseAllDocuments(
      execFileSync('kubectl', ['kustomize', new URL('ops/k8s', ROOT).pathname], { encoding: 'utf8' }),
    ).map((doc) => doc.toJS() as K8sObject)
  : [];
const find = (kind: string, name: string) => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} rendered from ops/k8s`);
  return found;
};
const containerOf = (name: string) => find('Deployment', name).spec.template!.spec.containers[0]!;

/** The environment a container gets: its ConfigMaps, then its own values (secrets as placeholders). */
function environmentOf(name: string): Record<string, string> {
  const container = containerOf(name);
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) Object.assign(env, find('ConfigMap', source.configMapRef!.name).data);
  for (const variable of container.env) {
    if (variable.value !== undefined) env[variable.name] = variable.value;
    else if (variable.valueFrom?.secretKeyRef) env[variable.name] = 'x'.repeat(48);
  }
  return env;
}

describe.runIf(hasKubectl)('Kubernetes manifests, as kubectl kustomize ops/k8s renders them', () => {
  it('are valid objects of the Kubernetes API (schemas of kubernetes-models)', async () => {
    expect(objects.length).toBeGreaterThan(10);
    for (const object of objects)
      await expect(validateSchema(object), `${object.kind} ${object.metadata.name}`).resolves.toBe(true);
  });

  it('use the images docker-compose.yml builds, edgeway/<service>:<tag>, at a pinned tag', () => {
    const compose = parse(read('docker-compose.yml'), { merge: true }) as ComposeFile;
    for (const name of EDGE) {
      const image = containerOf(name).image;
      expect(image).toMatch(new RegExp(`^edgeway/${name}:\\d+\\.\\d+\\.\\d+$`));
      expect(compose.services[name]?.image).toBe(image);
      expect(read('docs/operations.md')).toContain(`edgeway/<service>:${image.split(':')[1]}`);
    }
  });

  it('leave the replica count of every autoscaled Deployment to its HorizontalPodAutoscaler', () => {
    const scaled = objects.filter((o) => o.kind === 'HorizontalPodAutoscaler').map((o) => o.spec.scaleTargetRef!.name);
    expect(scaled.sort()).toEqual([...EDGE].sort());
    for (const name of scaled) expect(find('Deployment', name).spec.replicas, name).toBeUndefined();
  });

  it('require every secret, and docs/operations.md creates each key they read', () => {
    const docs = read('docs/operations.md');
    const created = new Set([...docs.matchAll(/--from-literal=([a-z-]+)=/g)].map((m) => m[1]!));
    const refs = EDGE.flatMap((name) =>
      containerOf(name).env.flatMap((e) => (e.valueFrom?.secretKeyRef ? [e.valueFrom.secretKeyRef] : [])),
    );
    expect(refs.length).toBeGreaterThanOrEqual(4);
    for (const ref of refs) {
      expect(ref, ref.key).toMatchObject({ name: 'edgeway-secrets', optional: false });
      expect(created, ref.key).toContain(ref.key);
    }
  });

  describe.each(EDGE)('%s', (name) => {
    const port = portOf(name)!;
    it('serves on its port (http), metrics on METRICS_PORT (metrics), and probes /healthz and /readyz', () => {
      const container = containerOf(name);
      const env = environmentOf(name);
      const metricsPort = Number(env.METRICS_PORT);
      expect(container.ports).toEqual([
        { name: 'http', containerPort: port },
        { name: 'metrics', containerPort: metricsPort },
      ]);
      expect(env.PORT).toBe(String(port));
      expect(env.OTEL_SERVICE_NAME).toBe(name);
      expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
      expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
      expect(container.startupProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
    });

    it('gives a drain its time before the kill, within requested resources', () => {
      const container = containerOf(name);
      const template = find('Deployment', name).spec.template!;
      const pause = Number(container.lifecycle?.preStop?.exec?.command.at(-1) ?? 0);
      expect(template.spec.terminationGracePeriodSeconds).toBeGreaterThan(
        pause + Number(environmentOf(name).DRAIN_TIMEOUT_MS) / 1000,
      );
      expect(container.resources.limits?.memory).toMatch(/^\d+(Mi|Gi)$/);
    });

    it('runs a production configuration the service accepts, every variable documented', () => {
      const env = environmentOf(name);
      expect(env.NODE_ENV).toBe('production');
      const config = loadConfig({ ...commonEnv(0), ...edgeEnv, ...internalEnv }, env);
      expect(config.PORT).toBe(port);
      for (const variable of Object.keys(env)) expect(DOCUMENTED, variable).toContain(variable);
    });

    it('has a Service, an autoscaler and a disruption budget that select its pods', () => {
      const labels = find('Deployment', name).spec.template!.metadata.labels;
      expect(labels).toMatchObject(find('Service', name).spec.selector!);
      expect(find('Service', name).spec.ports).toEqual([{ name: 'http', port, targetPort: 'http' }]);
      const hpa = find('HorizontalPodAutoscaler', name);
      expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
      expect(find('PodDisruptionBudget', name).spec.minAvailable).toBeLessThan(hpa.spec.minReplicas!);
    });
  });

  it("are found by ops/prometheus/kubernetes.yml's kubernetes_sd job, each edge pod on its metrics port, nothing else", () => {
    const prometheus = parse(read('ops/prometheus/kubernetes.yml')) as {
      scrape_configs: Array<{ kubernetes_sd_configs?: Array<{ role: string }>; relabel_configs: RelabelConfig[] }>;
    };
    const job = prometheus.scrape_configs.find((c) => c.kubernetes_sd_configs?.some((sd) => sd.role === 'pod'))!;
    const scraped: string[] = [];
    for (const deployment of objects.filter((o) => o.kind === 'Deployment')) {
      const { metadata, spec } = deployment.spec.template!;
      for (const port of spec.containers.flatMap((c) => c.ports)) {
        // The labels Prometheus's pod discovery gives one container port of a pod.
        const meta: Record<string, string> = {
          __address__: `10.1.2.3:${port.containerPort}`,
          __metrics_path__: '/metrics',
          __meta_kubernetes_pod_ip: '10.1.2.3',
          __meta_kubernetes_namespace: 'shop',
          __meta_kubernetes_pod_name: `${deployment.metadata.name}-abc`,
        };
        for (const [key, value] of Object.entries(metadata.labels ?? {}))
          meta[`__meta_kubernetes_pod_label_${key.replace(/\W/g, '_')}`] = value;
        for (const [key, value] of Object.entries(metadata.annotations ?? {}))
          meta[`__meta_kubernetes_pod_annotation_${key.replace(/\W/g, '_')}`] = value;
        const target = relabel(meta, job.relabel_configs);
        if (target) scraped.push(`${target.app} ${target.__address__}${target.__metrics_path__}`);
      }
    }
    const expected = EDGE.map((name) => `${name} 10.1.2.3:${environmentOf(name).METRICS_PORT}/metrics`);
    expect([...new Set(scraped)].sort()).toEqual(expected.sort());
  });

  it('point every upstream URL at a Service name on its port, and run the gateway as measured', () => {
    const data = find('ConfigMap', 'edgeway').data!;
    for (const [key, value] of Object.entries(data).filter(([k]) => k.endsWith('_URL') && !/^(JWKS|OTEL)/.test(k))) {
      const target = new URL(value);
      if (target.protocol === 'redis:')
        expect(find('Service', target.hostname).spec.ports?.[0]?.port).toBe(Number(target.port));
      else expect(Number(target.port), key).toBe(portOf(target.hostname));
    }
    const gateway = containerOf('gateway');
    expect(gateway.env.find((e) => e.name === 'NODE_OPTIONS')?.value).toBe(GATEWAY_NODE_OPTIONS);
    const oldSpaceMiB = Number(/--max-old-space-size=(\d+)/.exec(GATEWAY_NODE_OPTIONS)?.[1]);
    expect(Number(/^(\d+)Mi$/.exec(gateway.resources.limits?.memory ?? '')?.[1])).toBeGreaterThan(oldSpaceMiB + 128);
    const path = gateway.env.find((e) => e.name === 'SUPERGRAPH_PATH')!.value!;
    const mount = gateway.volumeMounts!.find((m) => path.startsWith(`${m.mountPath}/`))!;
    const volumes = find('Deployment', 'gateway').spec.template!.spec.volumes!;
    expect(volumes.find((v) => v.name === mount.name)?.configMap?.name).toBe('edgeway-supergraph');
  });
});
