// SPDX-License-Identifier: GPL-3.0-or-later
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_OUT } from '../helpers/e2e.js';
import { serverTreeWithReference } from '../helpers/server-tree.js';
import { unpackTree } from '../helpers/debian-tree.js';

const WORK = path.join(TEST_OUT, 'hostile');
const REF = path.join(WORK, 'reference');
beforeAll(async () => {
  const tree = await serverTreeWithReference(REF);
  unpackTree(tree.tarball, path.join(WORK, 'pristine'));
});
describe('prep', () => {
  it('has a tree', () => expect(1).toBe(1));
});
