// SPDX-License-Identifier: GPL-3.0-or-later
// Pinning the archive state: distribution.snapshot takes the suites from snapshot.debian.org as
// they were at that moment, so a later rebuild installs exactly the same package versions. Old
// snapshots' InRelease files are past their Valid-Until; apt is told to accept that (the signature
// is still checked, and the snapshot time is the claim being made).
export const SNAPSHOT_TIME = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
export const SNAPSHOT_BASE = 'http://snapshot.debian.org/archive';

export function snapshotEpoch(time: string): number {
  const m = SNAPSHOT_TIME.exec(time);
  if (!m) throw new Error(`not a snapshot time: ${time}`);
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  return Date.UTC(y!, mo! - 1, d!, h!, mi!, s!) / 1000;
}

/** The suite's and the security suite's mirror URLs at the snapshot time. */
export function snapshotMirrors(time: string, withSecurity: boolean): { mirror: string; security_mirror: string | null } {
  return {
    mirror: `${SNAPSHOT_BASE}/debian/${time}`,
    security_mirror: withSecurity ? `${SNAPSHOT_BASE}/debian-security/${time}` : null,
  };
}
