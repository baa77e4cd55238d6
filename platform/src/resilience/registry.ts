import type { DependencyPolicy, DependencyStatus } from './policy.js';

export interface DependencyEntry extends DependencyStatus {
  /** The service cannot serve its main answers without it (`ready: false` in `/health/dependencies` while its circuit is open). */
  required: boolean;
}

/**
 * The dependencies a service calls, for `GET /health/dependencies`. Deliberately not for `/readyz`:
 * a dependency shared by every replica would make them all unready at once.
 */
export class DependencyRegistry {
  readonly #entries = new Map<string, { policy: DependencyPolicy; required: boolean }>();

  add(policy: DependencyPolicy, options: { required: boolean }): DependencyPolicy {
    this.#entries.set(policy.name, { policy, required: options.required });
    return policy;
  }

  /** Stops listing a dependency (a canary removed or replaced at reload). */
  remove(name: string): void {
    this.#entries.delete(name);
  }

  list(): DependencyEntry[] {
    return [...this.#entries.values()].map(({ policy, required }) => ({ ...policy.status(), required }));
  }

  /** No required dependency's circuit is open. */
  requiredAvailable(): boolean {
    return this.list().every((d) => !d.required || d.circuit !== 'open');
  }

  policies(): DependencyPolicy[] {
    return [...this.#entries.values()].map((e) => e.policy);
  }
}
