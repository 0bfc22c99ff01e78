// The one place that decides whether a written address or CIDR can serve a
// field: well-formed (no zone index, no prefix where none belongs), of the
// family the field needs, and not a special address no host owns. Every rule
// that takes an address calls these, so the same text gets the same answer.
import {
  type Cidr,
  type Family,
  familyBits,
  formatIp,
  type Ip,
  lastAddress,
  networkAddress,
  parseCidr,
  parseIp,
  type SpecialKind,
  specialKind,
  subnetText,
} from './cidr.ts';
import type { ErrorCode } from './error-codes.ts';

export interface AddressProblem {
  code: ErrorCode;
  message: string;
}

export interface AddressRule {
  family?: Family; // only this family
  allow?: SpecialKind[]; // special kinds this field accepts (e.g. link-local next hops)
  identifier?: boolean; // a 32-bit identifier (router ID): only unspecified, broadcast and multicast are refused
}

const familyName = (f: Family) => (f === 4 ? 'IPv4' : 'IPv6');

const SPECIAL_TEXT: Record<SpecialKind, string> = {
  unspecified: 'the unspecified address',
  'this-network': 'in 0.0.0.0/8 ("this network", never a host address)',
  loopback: 'a loopback address',
  'link-local': 'a link-local address (valid on one link only)',
  multicast: 'a multicast address',
  broadcast: 'the limited broadcast address',
  reserved: 'in the reserved range 240.0.0.0/4',
  'ipv4-mapped': 'an IPv4-mapped IPv6 address',
  'ipv4-compatible': 'an IPv4-compatible IPv6 address (deprecated)',
};

// Why an address that parses cannot serve the field, or undefined.
function specialProblem(ip: Ip, text: string, what: string, rule: AddressRule): AddressProblem | undefined {
  const kind = specialKind(ip);
  if (!kind || rule.allow?.includes(kind)) return undefined;
  if (rule.identifier && !['unspecified', 'broadcast', 'multicast'].includes(kind)) return undefined;
  const fix =
    kind === 'ipv4-mapped' || kind === 'ipv4-compatible'
      ? `write the IPv4 address ${formatIp(4, ip.value & 0xffffffffn)} itself`
      : 'use a unicast address a host can own';
  return { code: 'IP_UNUSABLE', message: `${what} ${text} is ${SPECIAL_TEXT[kind]}; ${fix}` };
}

// A plain address (no prefix length, no %zone).
export function addressProblem(text: unknown, what: string, rule: AddressRule = {}): AddressProblem | undefined {
  const shown = JSON.stringify(text);
  const ip = typeof text === 'string' ? parseIp(text) : undefined;
  const want = rule.family ? `an ${familyName(rule.family)} address` : 'an IPv4 or IPv6 address';
  if (!ip) {
    const hint =
      typeof text === 'string' && text.includes('%')
        ? ' (a zone index such as %eth0 is not allowed)'
        : typeof text === 'string' && text.includes('/')
          ? ' (write it without a prefix length)'
          : '';
    return { code: 'IP_INVALID', message: `${what} ${shown} is not ${want}${hint}` };
  }
  if (rule.family && ip.family !== rule.family)
    return { code: 'IP_INVALID', message: `${what} ${shown} is not ${want}` };
  return specialProblem(ip, text as string, what, rule);
}

// An "address/prefix" CIDR of one family whose address is a unicast host
// address of its own subnet (not the network or broadcast address, not a /32
// or /128). Returns the parsed CIDR even after a host-address problem, so the
// overlap checks still see it.
export function cidrProblem(text: string, family: Family, what: string): { cidr?: Cidr; problem?: AddressProblem } {
  const c = parseCidr(text);
  const fam = familyName(family);
  if (!c || c.family !== family) {
    const hint =
      parseIp(text)?.family === family
        ? '; the prefix length is missing'
        : text.includes('%')
          ? '; a zone index such as %eth0 is not allowed'
          : '';
    return {
      problem: {
        code: 'CIDR_INVALID',
        message: `${what} "${text}" is not an ${fam} CIDR (address/prefix length, e.g. ${family === 4 ? '10.1.0.1/24' : 'fd00:1::1/64'})${hint}`,
      },
    };
  }
  const special = specialProblem(c, text, what, {});
  if (special) return { problem: special };
  const bits = familyBits(family);
  if (c.prefix === bits)
    return {
      cidr: c,
      problem: {
        code: 'GATEWAY_ADDRESS',
        message: `${what} ${text} is a /${bits}: a subnet with no other hosts; give the subnet's prefix length`,
      },
    };
  if (c.prefix < bits - 1 && c.value === networkAddress(c))
    return {
      cidr: c,
      problem: {
        code: 'GATEWAY_ADDRESS',
        message: `${what} ${text} is the network address of ${subnetText(c)}, not a host address (e.g. ${formatIp(family, c.value + 1n)}/${c.prefix})`,
      },
    };
  if (family === 4 && c.prefix < 31 && c.value === lastAddress(c))
    return {
      cidr: c,
      problem: {
        code: 'GATEWAY_ADDRESS',
        message: `${what} ${text} is the broadcast address of ${subnetText(c)}, not a host address`,
      },
    };
  return { cidr: c };
}

// One key per address, however it is written (`FD00:0::1` = `fd00::1`).
export function addressKey(ip: Ip): string {
  return `${ip.family}/${ip.value.toString(16)}`;
}
