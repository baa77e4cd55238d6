import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { metrics } from '@edgeway/platform';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { GATEWAY_NODE_OPTIONS, SERVICES } from '../../scripts/system.js';
import { available } from '../support/prerequisites.js';
import { composeSecrets, readCompose } from './compose.js';

// docker-compose.yml and what it mounts (ops/prometheus, ops/grafana), checked as compose and
// Prometheus read them: `docker compose config`, `promtool check config` and `promtool test rules`
// where those tools are installed (CI installs both), and every metric a query or rule names
// against what the services export.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFileSync(`${ROOT}${path}`, 'utf8');
const DOCUMENTED = new Set([...read('.env.example').matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!));
const secrets = composeSecrets(`${ROOT}ops/compose/secrets.sh`);
const compose = readCompose(`${ROOT}docker-compose.yml`, secrets);
const PUBLISHED: Record<string, string[]> = {
  gateway: ['4000:4000'],
  'bff-web': ['4001:4001'],
  'bff-mobile': ['4002:4002'],
  identity: ['127.0.0.1:4300:4300'],
  prometheus: ['127.0.0.1:9090:9090'],
  grafana: ['127.0.0.1:3000:3000'],
  jaeger: ['127.0.0.1:16686:16686'],
};

/** Every metric name the services export (histograms as their series). */
async function exported(): Promise<Set<string>> {
  metrics.initMetrics('deploy-test');
  const all = await metrics.registry.getMetricsAsJSON();
  return new Set(
    all.flatMap((m) =>
      String(m.type) === 'histogram' ? [`${m.name}_bucket`, `${m.name}_sum`, `${m.name}_count`] : [m.name],
    ),
  );
}
const metricNames = (expr: string) =>
  [...expr.matchAll(/\b((?:edgeway|process|nodejs)_[a-z0-9_]+)\b/g)].map((m) => m[1]!);

describe('docker-compose.yml', () => {
  it('builds every service from its workspace with its port, as edgeway/<service>, in production mode', () => {
    for (const { name, folder, port } of SERVICES) {
      const service = compose.services[name]!;
      expect(service.build?.args, name).toEqual({ WORKSPACE: folder, PORT: String(port) });
      expect(service.image, name).toMatch(new RegExp(`^edgeway/${name}:\\d+\\.\\d+\\.\\d+$`));
      expect(service.environment?.OTEL_SERVICE_NAME, name).toBe(name);
      // NODE_ENV=production comes from the image; compose does not override it.
      expect(service.environment?.NODE_ENV, name).toBeUndefined();
      for (const variable of Object.keys(service.environment ?? {}))
        expect(DOCUMENTED, `${name} ${variable}`).toContain(variable);
    }
    expect(compose.services.gateway?.environment?.NODE_OPTIONS).toBe(GATEWAY_NODE_OPTIONS);
  });

  it('publishes only what an operator uses, the tools on 127.0.0.1 only', () => {
    const published = Object.fromEntries(
      Object.entries(compose.services).flatMap(([name, s]) => (s.ports ? [[name, s.ports]] : [])),
    );
    expect(published).toEqual(PUBLISHED);
  });

  it('starts each service once what it depends on is healthy, and every dependency has a health check', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      const deps = service.depends_on ?? {};
      if (Array.isArray(deps) || !service.build) continue;
      for (const [dep, { condition }] of Object.entries(deps)) {
        expect(condition, `${name} -> ${dep}`).toBe('service_healthy');
        // Images built here have the Dockerfile's HEALTHCHECK; others need their own.
        expect(compose.services[dep]?.build ?? compose.services[dep]?.healthcheck, dep).toBeDefined();
      }
    }
    expect(Object.keys(compose.services.gateway?.depends_on ?? {})).toEqual(
      expect.arrayContaining(['identity', 'accounts', 'redis']),
    );
  });

  it('gives every service the generated secrets, and refuses to start without them', () => {
    const env = (name: string) => compose.services[name]?.environment ?? {};
    for (const name of ['gateway', 'accounts', 'products', 'reviews', 'inventory', 'orders']) {
      expect(env(name).INTERNAL_SIGNING_KEY, name).toBe(secrets.EDGEWAY_INTERNAL_SIGNING_KEY);
    }
    for (const name of ['bff-web', 'bff-mobile']) expect(env(name).GATEWAY_API_KEY).toBe(secrets.EDGEWAY_BFF_API_KEY);
    expect(env('gateway').API_KEYS).toBe(`bffs:${secrets.EDGEWAY_BFF_API_KEY_SHA256}:1000000`);
    expect(() => readCompose(`${ROOT}docker-compose.yml`, {})).toThrow(/sh ops\/compose\/secrets\.sh > \.env/);
  });

  it.runIf(available({ command: 'docker-compose', aptPackage: 'docker-compose', what: 'docker-compose config' }))(
    'is valid for docker-compose, with the secrets and without them not',
    () => {
      const env = { ...process.env, ...secrets };
      expect(() =>
        execFileSync('docker-compose', ['-f', 'docker-compose.yml', 'config', '-q'], { cwd: ROOT, env }),
      ).not.toThrow();
      // No .env (a developer's own would fill the variables in) and none in the environment.
      const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('EDGEWAY_')));
      const empty = join(mkdtempSync(join(tmpdir(), 'edgeway-env-')), '.env');
      writeFileSync(empty, '');
      const bare = spawnSync('docker-compose', ['--env-file', empty, '-f', 'docker-compose.yml', 'config', '-q'], {
        cwd: ROOT,
        encoding: 'utf8',
        env: clean,
      });
      expect(bare.status).not.toBe(0);
      expect(bare.stderr).toContain('ops/compose/secrets.sh');
    },
  );
});

const hasPromtool = available({ command: 'promtool', aptPackage: 'prometheus', what: 'the Prometheus rule tests' });

describe('Prometheus and Grafana (ops/)', () => {
  it('scrapes every service under compose', () => {
    const prometheus = parse(read('ops/prometheus/prometheus.yml')) as {
      scrape_configs: Array<{ metrics_path: string; static_configs: Array<{ targets: string[] }> }>;
    };
    const targets = prometheus.scrape_configs.flatMap((c) => c.static_configs.flatMap((s) => s.targets));
    expect(targets.sort()).toEqual(SERVICES.map((s) => `${s.name}:${s.port}`).sort());
    for (const service of ['prometheus', 'grafana']) {
      for (const volume of (compose.services[service] as { volumes?: string[] }).volumes ?? []) {
        expect(existsSync(`${ROOT}${volume.split(':')[0]!.replace(/^\.\//, '')}`), volume).toBe(true);
      }
    }
  });

  it.runIf(hasPromtool)('has a compose configuration promtool accepts, with its rule file', () => {
    const out = execFileSync('promtool', ['check', 'config', 'prometheus.yml'], {
      cwd: `${ROOT}ops/prometheus`,
      encoding: 'utf8',
    });
    expect(out).toMatch(/SUCCESS: 6 rules found/);
  });

  it.runIf(hasPromtool)(
    'fires each alert rule on the series that should page, and on no other (promtool test rules)',
    () => {
      const rules = parse(read('ops/prometheus/alerts.yml')) as { groups: Array<{ rules: Array<{ alert: string }> }> };
      const tests = parse(read('ops/prometheus/alerts.test.yml')) as {
        tests: Array<{ alert_rule_test: Array<{ alertname: string }> }>;
      };
      const tested = new Set(tests.tests.flatMap((t) => t.alert_rule_test.map((a) => a.alertname)));
      expect([...tested].sort()).toEqual(rules.groups.flatMap((g) => g.rules.map((r) => r.alert)).sort());
      const run = spawnSync('promtool', ['test', 'rules', 'alerts.test.yml'], {
        cwd: `${ROOT}ops/prometheus`,
        encoding: 'utf8',
      });
      expect(run.status, `${run.stdout}${run.stderr}`).toBe(0);
    },
  );

  it('names in every alert rule and dashboard query only metrics the services export', async () => {
    const names = await exported();
    const rules = parse(read('ops/prometheus/alerts.yml')) as {
      groups: Array<{ rules: Array<{ alert: string; expr: string }> }>;
    };
    for (const rule of rules.groups.flatMap((g) => g.rules)) {
      for (const metric of metricNames(rule.expr)) expect(names, `${rule.alert}: ${metric}`).toContain(metric);
    }
    const datasources = parse(read('ops/grafana/provisioning/datasources/datasources.yml')) as {
      datasources: Array<{ uid: string; type: string; url: string }>;
    };
    const prometheus = datasources.datasources.find((d) => d.type === 'prometheus')!;
    expect(prometheus.url).toBe('http://prometheus:9090');
    const dashboard = JSON.parse(read('ops/grafana/dashboards/edgeway.json')) as {
      panels: Array<{ title: string; datasource?: { uid: string }; targets?: Array<{ expr: string }> }>;
    };
    const queries = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p, expr: t.expr })));
    expect(queries.length).toBeGreaterThan(15);
    for (const { panel, expr } of queries) {
      expect(panel.datasource?.uid, panel.title).toBe(prometheus.uid);
      if (expr.startsWith('count(up')) continue; // Prometheus's own series
      expect(metricNames(expr).length, panel.title).toBeGreaterThan(0);
      for (const metric of metricNames(expr)) expect(names, `${panel.title}: ${metric}`).toContain(metric);
    }
  });
});
