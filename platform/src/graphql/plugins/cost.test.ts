import { type OperationDefinitionNode, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { operationCost } from './cost.js';

const costOf = (query: string, variables?: Record<string, unknown>) => {
  const document = parse(query);
  const operation = document.definitions.find((d) => d.kind === 'OperationDefinition') as OperationDefinitionNode;
  return operationCost(document, operation, variables);
};

describe('operationCost', () => {
  it('counts a variable as its literal would count', () => {
    const literal = costOf('{ list(first: 40) { id child { id } } }');
    const variable = costOf('query Q($n: Int) { list(first: $n) { id child { id } } }', { n: 40 });
    expect(variable.cost).toBe(literal.cost);
    expect(literal.usedVariables).toBe(false);
    expect(variable.usedVariables).toBe(true);
  });

  it('uses the declared default when the variable is absent, and the largest list when it is null', () => {
    const query = 'query Q($n: Int = 7) { list(first: $n) { id } }';
    expect(costOf(query).cost).toBe(costOf('{ list(first: 7) { id } }').cost);
    expect(costOf(query, { n: null }).cost).toBe(costOf('{ list(first: 100) { id } }').cost);
    expect(costOf('query Q($n: Int) { list(last: $n) { id } }', { n: null }).cost).toBe(
      costOf('{ list(last: 100) { id } }').cost,
    );
    // Absent without a default: as if the argument were not written.
    expect(costOf('query Q($n: Int) { list(first: $n) { id } }', {}).cost).toBe(costOf('{ list { id } }').cost);
  });

  it('walks each fragment once: a fragment explosion costs what it expands to, without expanding it', () => {
    const fragments = (n: number) =>
      Array.from({ length: n }, (_, i) => `fragment F${i} on Query { t { id } ...F${i + 1} ...F${i + 1} }`).join(' ');
    const cost = (n: number) => costOf(`query Q { ...F0 } ${fragments(n)} fragment F${n} on Query { id }`).cost;
    // Each level doubles what is below it: the figure grows as 2^n though the walk is linear.
    expect(cost(11) / cost(10)).toBeGreaterThan(1.9);
    expect(cost(60)).toBeGreaterThan(1e15);
  });

  it('multiplies nested lists and counts every alias', () => {
    const one = costOf('query Q($n: Int) { a: list(first: $n) { items(first: $n) { id } } }', { n: 10 }).cost;
    const fifteen = costOf(
      `query Q($n: Int) { ${Array.from({ length: 15 }, (_, i) => `a${i}: list(first: $n) { items(first: $n) { id } }`).join(' ')} }`,
      { n: 10 },
    ).cost;
    expect(fifteen).toBeCloseTo(one * 15);
    expect(one).toBeGreaterThan(costOf('{ list(first: 10) { items(first: 1) { id } } }').cost * 5);
  });

  it('flattens fragments, spreads and inline ones alike', () => {
    const inline = costOf('query Q($n: Int) { list(first: $n) { ... on T { id name } } }', { n: 5 }).cost;
    const spread = costOf('query Q($n: Int) { list(first: $n) { ...F } } fragment F on T { id name }', { n: 5 }).cost;
    expect(spread).toBe(inline);
    expect(inline).toBe(costOf('{ list(first: 5) { id name } }').cost);
  });

  it('counts negative or odd values as one item, never less', () => {
    expect(costOf('query Q($n: Int) { list(first: $n) { id } }', { n: -5 }).cost).toBe(costOf('{ list { id } }').cost);
  });

  it('leaves out what @skip and @include leave out, with literals or variables', () => {
    const query =
      'query Q($n: Int, $with: Boolean!) { list(first: $n) { id } more: list(first: $n) @include(if: $with) { id } }';
    const one = costOf('{ list(first: 50) { id } }').cost;
    expect(costOf(query, { n: 50, with: false }).cost).toBe(one);
    expect(costOf(query, { n: 50, with: true }).cost).toBe(2 * one);
    expect(costOf('{ list(first: 50) { id } b: list(first: 50) @skip(if: true) { id } }').cost).toBe(one);
  });
});
