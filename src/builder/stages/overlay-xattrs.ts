// SPDX-License-Identifier: GPL-3.0-or-later
// On copy-up, overlayfs marks the upper directory with bookkeeping xattrs about THIS build's
// lower tree (trusted.overlay.origin holds a file handle with its inode numbers, .uuid the
// filesystem's id, .impure a hint). They mean nothing in the image, and they made two builds of
// the same profile differ. Only the xattrs that carry meaning for the stacked layers stay
// (opaque directories, redirects, metacopy); everything else under trusted.overlay.* goes.
import { run } from '../exec/run.js';

export const KEPT_OVERLAY_XATTRS = new Set(['trusted.overlay.opaque', 'trusted.overlay.redirect', 'trusted.overlay.metacopy']);

/** `getfattr` names only: "# file: PATH" then one attribute name per line. PATH escapes bytes as \ooo. */
export function parseGetfattrNames(output: string): { file: string; names: string[] }[] {
  const out: { file: string; names: string[] }[] = [];
  for (const line of output.split('\n')) {
    if (line.startsWith('# file: ')) out.push({ file: unescapeOctal(line.slice('# file: '.length)), names: [] });
    else if (line.trim() && out.length) out.at(-1)!.names.push(line.trim());
  }
  return out;
}

function unescapeOctal(s: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const m = /^\\([0-7]{3})/.exec(s.slice(i));
    if (m) {
      bytes.push(parseInt(m[1]!, 8));
      i += 3;
    } else if (s.startsWith('\\\\', i)) {
      bytes.push(0x5c);
      i += 1;
    } else bytes.push(...Buffer.from(s[i]!, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

export async function stripOverlayBookkeeping(upperDir: string): Promise<number> {
  const r = await run(['getfattr', '--absolute-names', '--recursive', '--physical', '--match', '^trusted\\.overlay\\.', upperDir], { label: 'getfattr' });
  let removed = 0;
  for (const { file, names } of parseGetfattrNames(r.stdout)) {
    for (const name of names.filter((n) => !KEPT_OVERLAY_XATTRS.has(n))) {
      await run(['setfattr', '--no-dereference', '--remove', name, file], { label: 'setfattr' });
      removed++;
    }
  }
  return removed;
}
