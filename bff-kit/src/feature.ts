import { readFileSync } from 'node:fs';

/**
 * A slice of a BFF: its client-shaped SDL and the resolvers that serve it. `R` is the BFF's
 * generated `Resolvers` type, so a feature's resolvers are checked against its own schema.
 */
export interface Feature<R = unknown> {
  typeDefs: string;
  resolvers: R;
}

/** Reads the SDL file that sits beside a feature module. */
export function sdlBeside(moduleUrl: string, file: string): string {
  return readFileSync(new URL(file, moduleUrl), 'utf8');
}
