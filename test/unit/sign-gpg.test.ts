// SPDX-License-Identifier: GPL-3.0-or-later
import { describe, expect, it } from 'vitest';
import { parseSecretKeys } from '../../src/builder/sign/gpg.js';

describe('parseSecretKeys (gpg --with-colons --list-secret-keys)', () => {
  it('returns the primary keys fingerprints, not the subkeys', () => {
    const colons = [
      'sec:u:255:22:BAB9CA2F1911DDCC:1764453729:::u:::scESC:::+:::ed25519:::0:',
      'fpr:::::::::BCD427CDF6F552162ADEC5F2BAB9CA2F1911DDCC:',
      'grp:::::::::8F0C0F7B0A6E1C5D9D6A44C8E8D6A9B7C2A1F3E4:',
      'uid:u::::1764453729::1111111111111111111111111111111111111111::test <t@example.invalid>::::::::::0:',
      'ssb:u:255:18:1122334455667788:1764453729::::::e:::+:::cv25519::',
      'fpr:::::::::AAAABBBBCCCCDDDDEEEEFFFF1122334455667788:',
      'sec:u:255:22:CA206AFFDAA82319:1764453729:::u:::scESC:::+:::ed25519:::0:',
      'fpr:::::::::9889CDB73C93AECB8FDA9D33CA206AFFDAA82319:',
    ].join('\n');
    expect(parseSecretKeys(colons)).toEqual(['BCD427CDF6F552162ADEC5F2BAB9CA2F1911DDCC', '9889CDB73C93AECB8FDA9D33CA206AFFDAA82319']);
    expect(parseSecretKeys('')).toEqual([]);
  });
});
