// SPDX-License-Identifier: GPL-3.0-or-later
// One walk of the whole evidence tree for the indicators that can be anywhere: SUID/SGID files,
// world-writable files in system folders, kernel modules, executables in /tmp, /var/tmp and
// /dev/shm, hidden files and folders in unusual places. The evidence walker (evidence/walk.ts):
// names as bytes, symlinks never followed, other file systems and unreadable entries reported.
import { readHead, type RootResolver } from '../evidence/root-path.js';
import { walkEvidence, type WalkProblem } from '../evidence/walk.js';
import { candidate, type Candidate } from './findings.js';

const PROC = Buffer.from('proc');
const SYS = Buffer.from('sys');
const TMP_DIRS = ['tmp', 'var/tmp', 'dev/shm'];
const SYSTEM_PREFIX = /^(bin|sbin|lib[^/]*|usr\/(bin|sbin|lib[^/]*|libexec|local)|etc)(\/|$)/;
/** Where a dot-name is unusual: system folders, /dev, the top level, the temporary folders. */
const HIDDEN_WATCHED = /^(bin|sbin|lib[^/]*|usr|etc|dev|boot|opt|srv|var\/(lib|spool|cache|log|tmp|run)|tmp)(\/|$)/;
/** Dot-names that are normal where they are: X11 and ICE sockets, shadow's lock file, skeleton files. */
const HIDDEN_NORMAL = /^(tmp\/\.(X11|ICE|XIM|font|Test)-unix|etc\/\.pwd\.lock|etc\/skel\/.*|etc\/\.java|var\/lib\/dpkg\/\.[^/]*|usr\/share\/.*\/\.placeholder)$/;

function isElf(access: Buffer): boolean {
  try {
    return readHead(access, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
  } catch {
    return false;
  }
}

export interface TreeWalk {
  candidates: Candidate[];
  entries: number;
  problems: WalkProblem[];
}

export function walkTree(r: RootResolver, problems: WalkProblem[] = []): TreeWalk {
  const out: Candidate[] = [];
  const summary = walkEvidence(r.root, {
    // /proc and /sys of the evidence are empty mount points; never the analyst's.
    enter: (e) => !(e.depth === 1 && (e.name.equals(PROC) || e.name.equals(SYS))),
    onProblem: (p) => problems.push(p),
    onEntry(e) {
      const st = e.stat;
      const rel = e.rel.toString('latin1'); // only for the ASCII prefix tests below; the finding keeps the bytes
      const name = e.name.toString('latin1');
      const mode = Number(st.mode) & 0o7777;
      const size = Number(st.size);
      const inTmp = TMP_DIRS.some((t) => rel.startsWith(t + '/'));
      if (name.startsWith('.') && HIDDEN_WATCHED.test(rel) && !HIDDEN_NORMAL.test(rel)) {
        out.push(candidate('hidden', inTmp ? 'high' : 'medium', `hidden ${st.isDirectory() ? 'folder' : 'file'} in an unusual place`, e.rel, `mode ${'0' + mode.toString(8)}, ${size} bytes`));
      }
      if (st.isDirectory()) {
        // A folder's mode is not in the reference: what it grants is never filtered.
        if (SYSTEM_PREFIX.test(rel) && mode & 0o002 && !(mode & 0o1000)) {
          out.push(candidate('world-writable', 'high', 'world-writable folder in a system folder (no sticky bit)', e.rel, `mode ${'0' + mode.toString(8)}`, false));
        }
        if (SYSTEM_PREFIX.test(rel) && mode & 0o6000) {
          out.push(candidate('suid', 'high', 'set-id folder in a system folder (new files inherit its group)', e.rel, `mode ${'0' + mode.toString(8)}, owner uid ${st.uid} gid ${st.gid}`, false));
        }
        return;
      }
      if (!st.isFile()) return;
      if (mode & 0o6000) {
        const which = [mode & 0o4000 ? 'SUID' : '', mode & 0o2000 ? 'SGID' : ''].filter(Boolean).join('+');
        out.push(
          candidate(
            'suid',
            inTmp || rel.startsWith('home/') || rel.startsWith('dev/') ? 'critical' : 'high',
            `${which} file`,
            e.rel,
            `mode ${'0' + mode.toString(8)}, owner uid ${st.uid}, ${size} bytes`,
          ),
        );
      }
      if (SYSTEM_PREFIX.test(rel) && mode & 0o002) {
        out.push(candidate('world-writable', 'high', 'world-writable file in a system folder', e.rel, `mode ${'0' + mode.toString(8)}`));
      }
      if (/\.ko(\.(xz|zst|gz))?$/.test(name)) {
        out.push(candidate('kernel-module', 'high', 'kernel module on disk', e.rel, `${size} bytes`));
      }
      if (inTmp) {
        const elf = isElf(e.access);
        if (mode & 0o111 || elf)
          out.push(
            candidate('tmp-executable', 'high', `executable in /${TMP_DIRS.find((t) => rel.startsWith(t + '/'))}`, e.rel, `mode ${'0' + mode.toString(8)}, ${size} bytes${elf ? ', ELF' : ''}`, false),
          );
      }
    },
  });
  return { candidates: out, entries: summary.entries, problems };
}
