// SPDX-License-Identifier: GPL-3.0-or-later
// Every stage's verify step runs before the bootstrap: all problems at once, each naming its stage.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyStages } from '../../src/builder/pipeline/verify.js';
import { STAGES } from '../../src/builder/features/index.js';
import { configureProblems } from '../../src/builder/stages/configure-verify.js';
import { sampleProfile } from '../helpers/sample-profile.js';
import type { Profile } from '../../src/builder/profile/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'verify-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function opts(profile: Profile) {
  return { profile, repoRoot: path.join(dir, 'repo-without-dist'), outDir: dir, cacheDir: dir, workRoot: dir, noCache: false };
}

describe('verify', () => {
  it('passes a good profile', async () => {
    const p = sampleProfile();
    expect(await verifyStages(STAGES, { profile: p, opts: opts(p) })).toEqual([]);
  });

  it('reports a missing bundle, overlay, hook script, unknown locale and timezone together', async () => {
    const p = sampleProfile({
      image: { ...sampleProfile().image, locale: 'xx_YY.UTF-8', timezone: 'Mars/Olympus' },
      toolkit: { responder: true },
      overlays: [{ name: 'gone', path: path.join(dir, 'gone') }],
      hooks: [{ name: 'h', when: 'after-bootstrap', script: path.join(dir, 'h.sh') }],
    } as Partial<Profile>);
    const problems = await verifyStages(STAGES, { profile: p, opts: opts(p) });
    expect(problems).toEqual([
      expect.stringMatching(/^bootstrap: hook "h": script .*h\.sh is missing/),
      expect.stringMatching(/^configure: image\.locale xx_YY\.UTF-8 is not a locale glibc knows/),
      expect.stringMatching(/^configure: image\.timezone Mars\/Olympus is not a tz database name/),
      expect.stringMatching(/^toolkit: the profile enables toolkit\.responder but .*responder\.mjs is missing/),
      expect.stringMatching(/^overlay: overlay gone: folder .* is missing/),
    ]);
  });

  it('knows real names and asks for the locales package only when nothing else can bring it', () => {
    const p = (locale: string, timezone: string, packages = ['linux-image-amd64']) => sampleProfile({ image: { ...sampleProfile().image, locale, timezone }, packages });
    expect(configureProblems(p('de_DE.UTF-8', 'Europe/Berlin', ['locales', 'tzdata']))).toEqual([]);
    expect(configureProblems(p('de_DE.UTF-8', 'Etc/UTC'))).toEqual([expect.stringContaining('needs the package "locales"')]);
    expect(configureProblems(p('C.UTF-8', '../../etc/passwd'))).toEqual([expect.stringContaining('not a tz database name')]);
  });
});
