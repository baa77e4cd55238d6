import type { DependencyPolicy, DependencyStatus } from './policy.js';

export interface DependencyEntry extends DependencyStatus {
  /** A required dependency's open circuit makes the service unready; an optional one's does not. */
  required: boolean;
}

/** The dependencies a service calls, for `GET /health/dependencies` and readiness. */
export class DependencyRegistry {
  readonly #entries = new Map<string, { policy: DependencyPolicy; required: boolean }>();

  add(policy: DependencyPolicy, options: { required: boolean }): DependencyPolicy {
    this.#entries.set(policy.name, { policy, required: options.required });
    return policy;
  }

  list(): DependencyEntry[] {
    return [...this.#entries.values()].map(({ policy, required }) => ({ ...policy.status(), required }));
  }

  /** Ready unless a required dependency's circuit is open. */
  requiredAvailable(): boolean {
    return this.list().every((d) => !d.required || d.circuit !== 'open');
  }

  policies(): DependencyPolicy[] {
    return [...this.#entries.values()].map((e) => e.policy);
  }
}
