// SPDX-License-Identifier: GPL-3.0-or-later
import { describe, expect, it } from 'vitest';
import { CleanupStack } from '../../src/builder/exec/cleanup.js';
import { formatArgv } from '../../src/builder/errors.js';

describe('CleanupStack', () => {
  it('unwinds newest first and keeps going when one cleanup fails', async () => {
    const order: string[] = [];
    const stack = new CleanupStack();
    stack.push('a', () => void order.push('a'));
    stack.push('b', () => {
      order.push('b');
      throw new Error('busy');
    });
    stack.push('c', () => void order.push('c'));
    await stack.unwind();
    expect(order).toEqual(['c', 'b', 'a']);
    expect(stack.size).toBe(0);
  });

  it('runs an early cleanup once and removes it from the stack', async () => {
    let runs = 0;
    const stack = new CleanupStack();
    const early = stack.push('x', () => void runs++);
    await early();
    await early();
    await stack.unwind();
    expect(runs).toBe(1);
  });
});

describe('formatArgv', () => {
  it('quotes only what a shell would split, for copy and paste', () => {
    expect(formatArgv(['mount', '-o', 'ro,noload', "it's here", 'a b'])).toBe(`mount -o ro,noload 'it'\\''s here' 'a b'`);
  });
});
