import { describe, expect, it } from 'vitest';
import { recordSpans } from '../testing/spans.js';
import { UpstreamError } from './errors.js';
import { createDependencyPolicy } from './policy.js';

// What a trace shows about one dependency call: one `upstream <name>` span per call, its HTTP
// attempts as children, and why there may be none.
const exporter = recordSpans();

const refused = () => Promise.reject(new UpstreamError('pricing', 'UPSTREAM_ERROR', 'refused'));
const spans = () => exporter.getFinishedSpans().filter((s) => s.name === 'upstream pricing');

describe('dependency policy spans', () => {
  it('a call that succeeds after a retry: one span, two attempts, a retry event', async () => {
    const policy = createDependencyPolicy({ name: 'pricing' });
    let calls = 0;
    await policy.execute(async () => (++calls === 1 ? refused() : 'ok'), { idempotent: true });
    const [span] = spans();
    expect(span!.attributes).toMatchObject({
      'edgeway.dependency': 'pricing',
      'circuit.state': 'closed',
      'upstream.attempts': 2,
      'upstream.outcome': 'ok',
    });
    expect(span!.events.map((e) => [e.name, e.attributes])).toEqual([
      ['upstream.retry', { dependency: 'pricing', attempt: 2 }],
    ]);
  });

  it('the call whose failure opens the circuit says so, and the next call shows it refused with no attempt', async () => {
    const policy = createDependencyPolicy({ name: 'pricing', consecutiveFailures: 2 });
    for (let i = 0; i < 3; i++) await policy.execute(refused, { idempotent: false }).catch(() => undefined);
    const [first, opening, refusedCall] = spans();
    expect(first!.attributes).toMatchObject({ 'upstream.outcome': 'UPSTREAM_ERROR', 'circuit.state': 'closed' });
    expect(opening!.events.map((e) => e.name)).toEqual(['circuit.state_change', 'upstream.failure']);
    expect(opening!.events[0]!.attributes).toEqual({ dependency: 'pricing', 'circuit.state': 'open' });
    expect(refusedCall!.attributes).toMatchObject({
      'circuit.state': 'open',
      'upstream.outcome': 'CIRCUIT_OPEN',
      'upstream.attempts': 0,
    });
    expect(refusedCall!.status.code).toBe(2);
  });

  it('a call refused by x-chaos is marked as such', async () => {
    const policy = createDependencyPolicy({ name: 'pricing' });
    await policy.execute(async () => 'ok', { idempotent: true, chaos: { mode: 'down' } }).catch(() => undefined);
    expect(spans()[0]!.attributes).toMatchObject({ 'edgeway.chaos': 'down' });
    expect(spans()[0]!.status.code).toBe(2);
  });
});
