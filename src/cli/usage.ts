// Usage text and the usage error (exit 2), kept apart from the dispatch.
import { own } from '../resources/own.ts';
export const EXIT_OK = 0;
export const EXIT_FAILED = 1; // invalid input, failed operation, HTTP 4xx/5xx answer, a FAIL in doctor
export const EXIT_TRANSPORT = 2; // daemon unreachable (no socket, refused, timeout)
export const EXIT_USAGE = 2; // bad command line; shares 2 with transport failures (documented in the usage text)

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

// A failed operation with a message for the user (exit 1), e.g. an unreadable file.
export class FailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FailedError';
  }
}

// A Kind/name argument, checked before anything is sent.
export function checkTarget(target: string, verb: string): string {
  if (!/^[A-Za-z][A-Za-z0-9]*\/[^/\s]+$/.test(target))
    throw new UsageError(`${verb} needs Kind/name (e.g. EVPNNetwork/blue), got "${target}"`);
  return target;
}

export const VERB_USAGE: Record<string, string> = {
  validate: `validate -f FILE [-o table|json|yaml]
      Check FILE (or - for stdin) locally, without the daemon. Prints every
      problem as "Kind/name: path: CODE: message" and exits 1, or
      "valid: N resources" and exits 0.`,
  plan: `plan -f FILE [--replace] [-o table|json|yaml]
      Dry-run apply: show per resource what would change (FRR diff for the
      fabric, kernel changes per network); "no changes" when nothing would.`,
  apply: `apply -f FILE [--replace] [--no-reconcile] [-o table|json|yaml]
      Apply FILE as a new generation (partial upsert by identity; --replace
      replaces the whole desired set). Prints the generation and per-resource phase.`,
  delete: `delete Kind/name [--dry-run] [-o table|json|yaml]
      Remove one resource (a new generation).`,
  get: `get [Kind[/name] | generations | generation/N] [-o table|json|yaml]
      List resources (KIND NAME PHASE GENERATION MESSAGE), the generation
      ledger, or the YAML of one stored generation.`,
  describe: `describe Kind/name [-o table|json|yaml]
      Human-readable status: conditions, FRR and BGP sessions for EVPNFabric;
      devices, ports, remote VTEPs, MACs, ARP/ND (and the anycast gateway) for
      EVPNNetwork; VRF device and table, L3VNI state, router MACs, next hops,
      type-5 prefixes, routes and the exit uplink for EVPNVRF.`,
  rollback: `rollback [--to N] [--dry-run] [-o table|json|yaml]
      Re-apply the YAML of generation N (default: the newest minus 1) with
      replace; the result is a new generation.`,
  status: `status [-o table|json|yaml]
      Daemon phase, generation, resource count, controllers' last error.`,
  doctor: `doctor [--frr-reload PATH] [-o table|json|yaml]
      Check the daemon, FRR, BGP sessions and local tools (vtysh, ip, bridge,
      python3, frr-reload.py); one ok/warn/FAIL line each, exit 1 on any FAIL.`,
  import: `import pve-sdn [--running-config FILE] [--members FILE] [--interfaces FILE]
         [--frr-local FILE] [--node NAME] [--node-map NAME=IP,...] [-o yaml|json]
      Read a Proxmox VE node's SDN files (defaults: /etc/pve/sdn/.running-config,
      /etc/pve/.members, /etc/network/interfaces, /etc/frr/frr.conf.local) and
      print one fabric file for the whole cluster; on stderr, every Proxmox key
      mapped approximately or skipped (with its code) and any validation
      problem of the result. Exit 1 when nothing could be imported or the
      result does not validate.`,
  help: `help [VERB]
      Print this help (or one verb's).`,
};

export function usage(verb?: string): string {
  const text = verb === undefined ? undefined : own(VERB_USAGE, verb);
  if (text !== undefined) return `usage: evpnctl [--socket PATH] ${text}\n`;
  return `usage: evpnctl [--socket PATH] [--timeout SECONDS] VERB [ARGS] [-o table|json|yaml]

Drives the routerd-evpn daemon over its Unix control socket (routerd's control
API, so routerctl verbs and bodies apply).

Verbs:
${Object.values(VERB_USAGE)
  .map((text) => `  ${text}`)
  .join('\n')}

Global options:
  --socket PATH        control socket (default: $EVPNCTL_SOCKET, else
                       /run/routerd-evpn/routerd-evpn.sock)
  --timeout SECONDS    give up waiting for an answer (default 30)
  -o, --output FORMAT  table (default), json or yaml
  -h, --help           this help

Exit codes:
  0  success
  1  invalid input or failed operation (including any HTTP 4xx/5xx answer,
     and any FAIL from doctor)
  2  the daemon could not be reached (no socket, refused, timeout), or the
     command line itself is wrong
`;
}
