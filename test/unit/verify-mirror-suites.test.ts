// SPDX-License-Identifier: GPL-3.0-or-later
// Which suites `responder verify --mirror` reads, and from which mirror.
import { describe, expect, it } from 'vitest';
import { codenameOf, defaultSecurityMirror, mirrorSuites } from '../../src/responder/reference/mirror-suites.js';

describe('verify --mirror suites', () => {
  it('reads VERSION_CODENAME from os-release, quoted or not', () => {
    expect(codenameOf('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\n')).toBe('bookworm');
    expect(codenameOf('VERSION_CODENAME="trixie"\n')).toBe('trixie');
    expect(codenameOf('ID=debian\n')).toBeUndefined();
    expect(codenameOf('VERSION_CODENAME=../../etc\n')).toBeUndefined();
  });

  it('defaults to CODENAME, -updates and -security, security from debian-security', () => {
    expect(mirrorSuites({ mirror: 'http://deb.debian.org/debian/', suites: [], codename: 'bookworm' })).toEqual([
      { suite: 'bookworm', mirror: 'http://deb.debian.org/debian' },
      { suite: 'bookworm-updates', mirror: 'http://deb.debian.org/debian' },
      { suite: 'bookworm-security', mirror: 'http://deb.debian.org/debian-security' },
    ]);
    expect(defaultSecurityMirror('http://mirror.example/debian')).toBe('http://mirror.example/debian-security');
    expect(defaultSecurityMirror('http://mirror.example/archive')).toBe('http://mirror.example/archive');
  });

  it('takes --suite and --security-mirror as given', () => {
    expect(mirrorSuites({ mirror: 'http://m/debian', securityMirror: 'http://s/sec', suites: ['sid', 'bookworm-security'] })).toEqual([
      { suite: 'sid', mirror: 'http://m/debian' },
      { suite: 'bookworm-security', mirror: 'http://s/sec' },
    ]);
  });

  it('asks for --suite when the evidence names no release, and refuses odd suite names', () => {
    expect(() => mirrorSuites({ mirror: 'http://m/debian', suites: [] })).toThrow(/--suite/);
    expect(() => mirrorSuites({ mirror: 'http://m/debian', suites: ['../x'] })).toThrow(/not a suite name/);
  });
});
