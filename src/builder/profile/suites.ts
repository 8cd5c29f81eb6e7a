// SPDX-License-Identifier: GPL-3.0-or-later
// The suites an image is built from, as the bootstrap's apt sources use them: SUITE,
// SUITE-updates and SUITE-security, each with its mirror. The reference's default, the DKMS
// versions and Secure Boot's signed binaries all read these.
import type { Distribution } from './types.js';

export function imageSuites(d: Pick<Distribution, 'suite' | 'mirror' | 'security_mirror' | 'updates'>): { suite: string; mirror: string }[] {
  return [
    { suite: d.suite, mirror: d.mirror },
    ...(d.updates ? [{ suite: `${d.suite}-updates`, mirror: d.mirror }] : []),
    ...(d.security_mirror ? [{ suite: `${d.suite}-security`, mirror: d.security_mirror }] : []),
  ];
}
