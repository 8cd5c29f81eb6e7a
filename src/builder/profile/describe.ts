// SPDX-License-Identifier: GPL-3.0-or-later
// Short descriptions of values and types for error messages, in the user's YAML vocabulary.

/** `a string ('yes')`, `a number (3)`, `a list`, `a mapping`, `an empty value`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  switch (typeof value) {
    case 'string':
      return `a string (${quoteValue(value)})`;
    case 'number':
      return `a number (${value})`;
    case 'boolean':
      return `${value}`;
    case 'object':
      return 'a mapping';
    default:
      return typeof value;
  }
}

/** zod's expected-type names in YAML terms. */
export function describeExpected(expected: string): string {
  const words: Record<string, string> = {
    string: 'a string',
    number: 'a number',
    int: 'a whole number',
    boolean: 'true or false',
    array: 'a list',
    object: 'a mapping (key: value)',
    null: 'null',
  };
  return words[expected] ?? expected;
}

/** 'text' for strings (shortened), plain for numbers and booleans. */
export function quoteValue(value: unknown): string {
  if (typeof value !== 'string') return String(value);
  const short = value.length > 40 ? `${value.slice(0, 37)}...` : value;
  return `'${short}'`;
}
