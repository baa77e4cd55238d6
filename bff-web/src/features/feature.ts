import { readFileSync } from 'node:fs';
import type { Resolvers } from '../__generated__/resolvers.js';

/** A slice of the BFF: its client-shaped SDL and the resolvers that serve it. */
export interface Feature {
  typeDefs: string;
  resolvers: Resolvers;
}

/** Reads the SDL file that sits beside a feature module. */
export function sdlBeside(moduleUrl: string, file: string): string {
  return readFileSync(new URL(file, moduleUrl), 'utf8');
}
