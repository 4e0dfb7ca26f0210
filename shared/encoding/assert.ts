/** Exhaustiveness guard for discriminated unions: a missing case is a compile error. */
export function assertNever(x: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(x)}`);
}
