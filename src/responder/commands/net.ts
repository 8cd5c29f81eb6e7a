// SPDX-License-Identifier: GPL-3.0-or-later
// `responder net up|down IFACE`: networking on purpose, one named interface at a time. Forensic
// mode brings nothing up by itself; this starts no listening service. With a case open the
// commands and the resulting addresses are in its journal and in CASE/net-*.json.
import type { Command } from '../cli/command.js';
import { parse } from '../cli/args.js';
import { UsageError } from '../lib/errors.js';
import { runProgram } from '../lib/run-program.js';
import { saveJsonToCase } from '../case/save.js';
import { checkCidr, checkGateway, checkInterface, downSteps, upSteps, type NetUp } from '../net/plan.js';

const HELP = `Usage: responder net up IFACE --dhcp
       responder net up IFACE --address CIDR [--gateway IP]
       responder net down IFACE

Bring one named interface up (see: ip -br link), by DHCP (busybox udhcpc: one lease, then it
exits: no client daemon stays running) or with a static address, and take it down again (its
addresses flushed). Nothing else is started and nothing listens: check with ss -ltnu. With a case
open, what was run and the interface's addresses afterwards are saved in the case folder.`;

async function run(steps: string[][]): Promise<string[]> {
  const done: string[] = [];
  for (const argv of steps) {
    await runProgram(argv, { timeoutMs: 60_000 });
    done.push(argv.join(' '));
  }
  return done;
}

async function addresses(iface: string): Promise<string> {
  return (await runProgram(['ip', '-br', 'address', 'show', 'dev', iface])).stdout.trim();
}

export const netCommand: Command = {
  name: 'net',
  summary: 'bring one network interface up (DHCP or static) or down, on purpose; nothing listens',
  help: HELP,
  async run(argv) {
    const [verb, ...rest] = argv;
    const { values, positionals } = parse('net', rest, { dhcp: { type: 'boolean' }, address: { type: 'string' }, gateway: { type: 'string' } });
    if (verb !== 'up' && verb !== 'down') throw new UsageError(verb ? `unknown net action "${verb}"` : 'missing action', 'use: responder net up|down IFACE');
    if (positionals.length !== 1) throw new UsageError(`net ${verb} takes exactly one IFACE`, 'see: responder net --help');
    const iface = checkInterface(positionals[0]!);
    let steps: string[][];
    if (verb === 'up') {
      if (Boolean(values.dhcp) === Boolean(values.address)) throw new UsageError('give exactly one of --dhcp and --address CIDR', 'see: responder net --help');
      if (values.dhcp && values.gateway) throw new UsageError('--gateway goes with --address (DHCP supplies its own)');
      const plan: NetUp = values.dhcp
        ? { iface, dhcp: true }
        : { iface, dhcp: false, address: checkCidr(values.address as string), gateway: values.gateway ? checkGateway(values.gateway as string) : undefined };
      steps = upSteps(plan);
    } else {
      if (values.dhcp || values.address || values.gateway) throw new UsageError('net down takes only IFACE');
      steps = downSteps(iface);
    }
    const ran = await run(steps);
    const state = await addresses(iface);
    await saveJsonToCase(`net-${verb}-${iface}`, { action: verb, interface: iface, ran, addresses: state, at: new Date().toISOString() });
    process.stdout.write(`${ran.map((c) => `ran: ${c}`).join('\n')}\n${state}\n`);
    return 0;
  },
};
