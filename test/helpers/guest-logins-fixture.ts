// SPDX-License-Identifier: GPL-3.0-or-later
// The committed fixture test/fixtures/evidence/guest-logins.tar.xz: login records and logs written
// by a booted Debian guest (the logins-maker test profile) where real things happened: ssh logins
// with a public key and with a password, a wrong password and an unknown user, sudo allowed and
// refused, su allowed and refused, auth.log rotated twice (a plain .1 and a gzipped .2.gz), wtmp and
// btmp rotated, the journal made persistent and rotated, one ssh session left open. The maker
// (test/fixture-makers/, run by scripts/make-test-fixtures, never in CI) boots the guest with this
// script. Its manifest, guest-logins.json, is the one every committed fixture has
// (committed-evidence.ts): the key of the script and profile it was made with (a unit test fails
// when they change and the fixture was not remade), every file's sha256, and the facts below.
// Here: the script, the key, the facts, extraction.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { extractFixture, fixtureTarball, makerKey, readManifest, type FixtureManifest } from './committed-evidence.js';
import { REPO } from './e2e.js';

export const GUEST_LOGINS = 'guest-logins';
export const LOGINS_MAKER_PROFILE = path.join(REPO, 'test/fixtures/profiles/logins-maker.yaml');
export const GUEST_LOGINS_ARCHIVE = fixtureTarball(GUEST_LOGINS);
/** The serial of the raw disk the guest writes its tar to. */
export const OUT_SERIAL = 'LOGINSOUT';
export const OUT_DISK_MIB = 256;

/** The story's accounts and passwords (a throwaway guest; the test looks for these names). */
export const STORY = {
  alice: { password: 'Alice-pw-1', uid: 1001 },
  bob: { password: 'Bob-pw-2', uid: 1002 },
  wrongPassword: 'not-the-password',
  invalidUser: 'mallory',
} as const;

/** What the maker records in the manifest's `facts`. */
export interface GuestLoginsFacts {
  /** Debian versions of the tools that wrote the files, as the guest's dpkg-query printed them. */
  tools: Record<string, string>;
  /** alice's key as sshd logs it ("ED25519 SHA256:..."). */
  aliceKey: string;
}

/** Runs as root in the logins-maker guest with a blank raw disk (serial OUT_SERIAL) attached. */
export function loginsMakerScript(): string {
  const { alice, bob, wrongPassword, invalidUser } = STORY;
  return `#!/bin/bash
set -euxo pipefail
export LC_ALL=C TZ=UTC
dev() { for d in /sys/block/*; do [ "$(cat "$d/serial" 2>/dev/null)" = "$1" ] && { echo "/dev/\${d##*/}"; return; }; done; echo "no disk $1" >&2; exit 1; }
step() { echo "LOGINS-STEP $(date -u +%FT%T.%NZ) $*"; sleep 1; }
OUT=$(dev ${OUT_SERIAL})

# A persistent journal as an installed system has it: journald moves /run/log/journal there.
mkdir -p /etc/systemd/journald.conf.d /var/log/journal
printf '[Journal]\\nStorage=persistent\\nSystemMaxFileSize=8M\\n' > /etc/systemd/journald.conf.d/50-logins-maker.conf
systemd-tmpfiles --create --prefix /var/log/journal
systemctl restart systemd-journald
journalctl --flush
ls /etc/ssh/ssh_host_ed25519_key || { ssh-keygen -A; systemctl restart ssh; }
for s in ssh rsyslog; do for i in $(seq 90); do systemctl is-active -q $s && break; sleep 1; done; systemctl is-active $s; done
# wtmp is rotated monthly once it is 1 MiB; this one is younger and smaller: rotate it anyway.
{ grep -l minsize /etc/logrotate.conf /etc/logrotate.d/* || true; } | xargs -r sed -i '/minsize/d'

useradd -m -s /bin/bash -G sudo alice
useradd -m -s /bin/bash bob
printf 'alice:%s\\nbob:%s\\n' '${alice.password}' '${bob.password}' | chpasswd
ssh-keygen -q -t ed25519 -N '' -C alice@maker -f /root/alice_ed25519
install -d -m 700 -o alice -g alice /home/alice/.ssh
install -m 600 -o alice -g alice /root/alice_ed25519.pub /home/alice/.ssh/authorized_keys
KEY="ED25519 $(ssh-keygen -lf /root/alice_ed25519.pub | awk '{print $2}')"
echo "LOGINS-KEY $KEY"
SSH=(ssh -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o ConnectTimeout=30)
KEYSSH=("\${SSH[@]}" -i /root/alice_ed25519 -o IdentitiesOnly=yes -o PasswordAuthentication=no -o KbdInteractiveAuthentication=no)
PWSSH=("\${SSH[@]}" -o PreferredAuthentications=password -o PubkeyAuthentication=no -o NumberOfPasswordPrompts=1)

step "alice logs in with her key and runs sudo (allowed)"
"\${KEYSSH[@]}" -tt alice@127.0.0.1 "id; echo ${alice.password} | sudo -S -p '' /usr/bin/id -u; sleep 2" </dev/null
step "bob: wrong password over ssh"
if sshpass -p '${wrongPassword}' "\${PWSSH[@]}" bob@127.0.0.1 true </dev/null; then echo "wrong password accepted" >&2; exit 1; fi
step "${invalidUser}: no such user"
if sshpass -p '${wrongPassword}' "\${PWSSH[@]}" ${invalidUser}@127.0.0.1 true </dev/null; then echo "unknown user accepted" >&2; exit 1; fi

step "rotate auth.log (rsyslog's logrotate rule: delaycompress)"
logrotate -f /etc/logrotate.d/rsyslog
sleep 2

step "bob logs in with his password; sudo refused (not in sudoers)"
sshpass -p '${bob.password}' "\${PWSSH[@]}" -tt bob@127.0.0.1 "id; echo ${bob.password} | sudo -S -p '' /usr/bin/id || true; sleep 2" </dev/null
step "alice: su to bob (allowed), su with a wrong password, sudo with a wrong password"
cat > /tmp/alice-su.sh <<'SU'
# su reads the password from its terminal (sshpass only answers ssh's /dev/tty prompt): script(1)
# gives su a pty and types what comes on stdin, once su has asked.
(sleep 3; echo '${bob.password}'; sleep 6) | script -qec 'su - bob -c id' /dev/null
(sleep 3; echo '${wrongPassword}'; sleep 8) | script -qec 'su - bob -c id' /dev/null || true
echo '${wrongPassword}' | sudo -S -k -p '' /usr/bin/id || true
SU
chmod 755 /tmp/alice-su.sh
"\${KEYSSH[@]}" -tt alice@127.0.0.1 "bash /tmp/alice-su.sh; sleep 2" </dev/null

step "rotate everything (auth.log.1 -> auth.log.2.gz, wtmp, btmp) and the journal"
logrotate -f /etc/logrotate.conf
journalctl --rotate
sleep 2

step "bob: wrong password, then logs in"
if sshpass -p '${wrongPassword}' "\${PWSSH[@]}" bob@127.0.0.1 true </dev/null; then echo "wrong password accepted" >&2; exit 1; fi
sshpass -p '${bob.password}' "\${PWSSH[@]}" -tt bob@127.0.0.1 "id; sleep 2" </dev/null
step "alice logs in with her key and stays logged in"
setsid "\${KEYSSH[@]}" -tt alice@127.0.0.1 "sleep 900" </dev/null >/dev/null 2>&1 &
OPEN=$!
for i in $(seq 60); do who | grep -q '^alice' && break; sleep 1; done
who
step "pack"
journalctl --sync
sync

# What the guest's own tools say about these files, for reference next to them.
R=/tmp/pack/reference
mkdir -p $R
cd /var/log
for f in wtmp*; do last -f "$f" --time-format iso -w -a -x > "$R/last-$f.txt" 2>&1 || true; done
for f in btmp*; do lastb -f "$f" --time-format iso -w -a > "$R/lastb-$f.txt" 2>&1 || true; done
find journal -name '*.journal*' -type f | sort | while read -r f; do journalctl --file "$f" -o short-iso-precise --no-pager > "$R/journalctl-$(basename "$f").txt" 2>&1 || true; done
lastlog > "$R/lastlog.txt" 2>&1 || true
ls -la --time-style=full-iso /var/log /var/log/journal/* > "$R/ls.txt"
echo "$KEY" > "$R/alice-key.txt"
dpkg-query -W -f '\${Package} \${Version}\\n' openssh-server openssh-client sudo rsyslog logrotate systemd util-linux login libpam-modules sshpass > "$R/versions.txt"
cat "$R/versions.txt"
cd /
FILES=$(ls -d var/log/wtmp* var/log/btmp* var/log/lastlog var/log/auth.log* var/log/journal etc/passwd etc/group etc/timezone etc/hostname 2>/dev/null)
tar -cf /tmp/pack/logins.tar $FILES -C /tmp/pack reference
tar -tvf /tmp/pack/logins.tar
BYTES=$(stat -c %s /tmp/pack/logins.tar)
[ "$BYTES" -lt $((${OUT_DISK_MIB} * 1024 * 1024)) ]
dd if=/tmp/pack/logins.tar of="$OUT" bs=1M conv=fsync status=none
echo "LOGINS-TAR bytes=$BYTES sha256=$(sha256sum < /tmp/pack/logins.tar | cut -d' ' -f1)"
kill "$OPEN" || true
`;
}

/** The key the manifest must carry: the script and the profile the fixture was made with. */
export function guestLoginsKey(): string {
  return makerKey([loginsMakerScript(), readFileSync(LOGINS_MAKER_PROFILE, 'utf8')]);
}

export function readGuestLoginsManifest(): FixtureManifest<GuestLoginsFacts> & { facts: GuestLoginsFacts } {
  const manifest = readManifest<GuestLoginsFacts>(GUEST_LOGINS);
  if (!manifest.facts) throw new Error(`test/fixtures/evidence/${GUEST_LOGINS}.json has no facts: remake it with scripts/make-test-fixtures ${GUEST_LOGINS}`);
  return { ...manifest, facts: manifest.facts };
}

/** Extract the committed archive under `dir` (fresh), keeping the guest's modification times; every file is checked against the manifest. */
export function extractGuestLogins(dir: string): string {
  return extractFixture(GUEST_LOGINS, dir);
}
