import type { Token } from './api.js';

/**
 * Creates a typed service token. The interface and its token share a name:
 * `export interface IUsers {…}; export const IUsers = token<IUsers>('users:IUsers');`
 */
export function token<T>(id: string): Token<T> {
  return Object.freeze({ id });
}
