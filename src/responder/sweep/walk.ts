// SPDX-License-Identifier: GPL-3.0-or-later
// One walk of the whole evidence tree for the indicators that can be anywhere: SUID/SGID files,
// world-writable files in system folders, kernel modules, executables in /tmp, /var/tmp and
// /dev/shm, hidden files and folders in unusual places. lstat only, symlinks never followed,
// other file systems mounted below ROOT not entered.
import { readdirSync } from 'node:fs';
import { readHead, type RootResolver } from '../evidence/root-path.js';
import { candidate, type Candidate } from './findings.js';

const TMP_DIRS = ['tmp', 'var/tmp', 'dev/shm'];
const SYSTEM_PREFIX = /^(bin|sbin|lib[^/]*|usr\/(bin|sbin|lib[^/]*|libexec|local)|etc)(\/|$)/;
/** Where a dot-name is unusual: system folders, /dev, the top level, the temporary folders. */
const HIDDEN_WATCHED = /^(bin|sbin|lib[^/]*|usr|etc|dev|boot|opt|srv|var\/(lib|spool|cache|log|tmp|run)|tmp)(\/|$)/;
/** Dot-names that are normal where they are: X11 and ICE sockets, shadow's lock file, skeleton files. */
const HIDDEN_NORMAL = /^(tmp\/\.(X11|ICE|XIM|font|Test)-unix|etc\/\.pwd\.lock|etc\/skel\/.*|etc\/\.java|var\/lib\/dpkg\/\.[^/]*|usr\/share\/.*\/\.placeholder)$/;

function isElf(r: RootResolver, rel: string): boolean {
  try {
    return readHead(r.abs(rel), 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
  } catch {
    return false;
  }
}

export function walkTree(r: RootResolver): { candidates: Candidate[]; entries: number } {
  const out: Candidate[] = [];
  const rootDev = r.lstat('')?.dev;
  const stack: string[] = [''];
  let entries = 0;
  while (stack.length) {
    const dir = stack.pop()!;
    let names: string[];
    try {
      names = readdirSync(r.abs(dir));
    } catch {
      continue;
    }
    for (const name of names) {
      const rel = dir ? `${dir}/${name}` : name;
      const st = r.lstat(rel);
      if (!st) continue;
      entries++;
      const mode = st.mode & 0o7777;
      const inTmp = TMP_DIRS.some((t) => rel.startsWith(t + '/'));
      if (name.startsWith('.') && HIDDEN_WATCHED.test(rel) && !HIDDEN_NORMAL.test(rel)) {
        out.push(candidate('hidden', inTmp ? 'high' : 'medium', `hidden ${st.isDirectory() ? 'folder' : 'file'} in an unusual place`, rel, `mode ${'0' + mode.toString(8)}, ${st.size} bytes`));
      }
      if (st.isDirectory()) {
        if (st.dev === rootDev && !['proc', 'sys'].includes(rel)) stack.push(rel);
        // A folder's mode is not in the reference: what it grants is never filtered.
        if (SYSTEM_PREFIX.test(rel) && (mode & 0o002) && !(mode & 0o1000)) {
          out.push(candidate('world-writable', 'high', 'world-writable folder in a system folder (no sticky bit)', rel, `mode ${'0' + mode.toString(8)}`, false));
        }
        if (SYSTEM_PREFIX.test(rel) && mode & 0o6000) {
          out.push(candidate('suid', 'high', 'set-id folder in a system folder (new files inherit its group)', rel, `mode ${'0' + mode.toString(8)}, owner uid ${st.uid} gid ${st.gid}`, false));
        }
        continue;
      }
      if (!st.isFile()) continue;
      if (mode & 0o6000) {
        const which = [mode & 0o4000 ? 'SUID' : '', mode & 0o2000 ? 'SGID' : ''].filter(Boolean).join('+');
        out.push(candidate('suid', inTmp || rel.startsWith('home/') || rel.startsWith('dev/') ? 'critical' : 'high', `${which} file`, rel, `mode ${'0' + mode.toString(8)}, owner uid ${st.uid}, ${st.size} bytes`));
      }
      if (SYSTEM_PREFIX.test(rel) && mode & 0o002) {
        out.push(candidate('world-writable', 'high', 'world-writable file in a system folder', rel, `mode ${'0' + mode.toString(8)}`));
      }
      if (/\.ko(\.(xz|zst|gz))?$/.test(name)) {
        out.push(candidate('kernel-module', 'high', 'kernel module on disk', rel, `${st.size} bytes`));
      }
      if (inTmp && (mode & 0o111 || isElf(r, rel))) {
        out.push(candidate('tmp-executable', 'high', `executable in /${TMP_DIRS.find((t) => rel.startsWith(t + '/'))}`, rel, `mode ${'0' + mode.toString(8)}, ${st.size} bytes${isElf(r, rel) ? ', ELF' : ''}`, false));
      }
    }
  }
  return { candidates: out, entries };
}
