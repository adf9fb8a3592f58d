/** The data fields of a GraphQL object class (its methods left out). */
export type Fields<T> = { [K in keyof T as T[K] extends (...args: never[]) => unknown ? never : K]: T[K] };

/**
 * How every object the schema returns is made: an instance of its class (union members resolve by
 * instanceof) with every field given, so a forgotten field is a compile error, not a null at run time.
 */
export function build<T extends object>(type: new () => T, fields: Fields<T>): T {
  return Object.assign(new type(), fields);
}
