// Loose shapes of the Kubernetes objects the tests read, schema validation, and Prometheus's
// relabelling (the part of it a scrape job's relabel_configs use).

interface Probe {
  httpGet?: { path: string; port: string | number };
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } };
}
export interface Container {
  name: string;
  image: string;
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
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec: Record<string, unknown> & {
    replicas?: number;
    selector?: Record<string, unknown>;
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
    minAvailable?: number;
  };
  data?: Record<string, string>;
}

/** Validates against the API's JSON schema for the object's apiVersion and kind; throws what is wrong. */
export async function validateSchema(object: K8sObject): Promise<true> {
  // Resolved by Node at run time (one module per kind), not by Vite ahead of it.
  const module = (await import(/* @vite-ignore */ `kubernetes-models/${object.apiVersion}/${object.kind}`)) as Record<
    string,
    new (data: unknown) => { validate(): void }
  >;
  const Model = module[object.kind];
  if (!Model) throw new Error(`no schema for ${object.apiVersion} ${object.kind}`);
  new Model(object).validate();
  return true;
}

export interface RelabelConfig {
  source_labels?: string[];
  separator?: string;
  regex?: string;
  target_label?: string;
  replacement?: string;
  action?: 'replace' | 'keep' | 'drop';
}

/** Prometheus's relabelling of one discovered target: its labels after, or undefined when dropped. */
export function relabel(labels: Record<string, string>, configs: RelabelConfig[]): Record<string, string> | undefined {
  const out = { ...labels };
  for (const config of configs) {
    const value = (config.source_labels ?? []).map((l) => out[l] ?? '').join(config.separator ?? ';');
    const match = new RegExp(`^(?:${config.regex ?? '(.*)'})$`).exec(value);
    switch (config.action ?? 'replace') {
      case 'keep':
        if (!match) return undefined;
        break;
      case 'drop':
        if (match) return undefined;
        break;
      case 'replace':
        if (match && config.target_label) {
          out[config.target_label] = (config.replacement ?? '$1').replace(
            /\$\{?(\d+)\}?/g,
            (_, i: string) => match[Number(i)] ?? '',
          );
        }
        break;
      default:
        throw new Error(`relabel action ${String(config.action)} is not simulated here`);
    }
  }
  return out;
}
