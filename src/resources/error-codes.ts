// One registry of every validation and API error code. docs/errors.md lists the
// same codes; test/unit/error-codes.test.ts keeps the two in step.
export interface ErrorCodeInfo {
  summary: string;
  httpStatus: number;
}

export const ERROR_CODES = {
  YAML_PARSE: { summary: 'The document is not valid YAML.', httpStatus: 400 },
  YAML_ALIAS: {
    summary:
      'An alias names no anchor set before it in its own document (anchors do not cross ---), or refers to a node that contains it.',
    httpStatus: 400,
  },
  KEY_RESERVED: {
    summary: 'A mapping key is "__proto__", which is reserved and never a field or a name.',
    httpStatus: 400,
  },
  LIMIT_EXCEEDED: {
    summary:
      "The input is over a documented limit: YAML bytes, documents, resources, YAML nodes after alias expansion, or the validator's memory or time.",
    httpStatus: 413,
  },
  CANDIDATE_EMPTY: {
    summary: 'The file holds no resources (it is empty or only comments), so there is nothing to apply.',
    httpStatus: 400,
  },
  ENVELOPE_INVALID: {
    summary: 'A document is neither a routerd Router nor a resource with apiVersion, kind, metadata.name and spec.',
    httpStatus: 400,
  },
  KIND_UNKNOWN: { summary: 'The apiVersion/kind pair is not one this daemon handles.', httpStatus: 400 },
  RESOURCE_DUPLICATE: { summary: 'Two resources share the same apiVersion/kind/name identity.', httpStatus: 400 },
  FIELD_REQUIRED: { summary: 'A required field is missing.', httpStatus: 400 },
  FIELD_TYPE: {
    summary: 'A field has the wrong type (for example a string where a number is expected).',
    httpStatus: 400,
  },
  FIELD_UNKNOWN: { summary: 'A field is not part of the resource schema (often a typo).', httpStatus: 400 },
  FIELD_VALUE: { summary: 'A field has a value outside the allowed set (an enum).', httpStatus: 400 },
  FIELD_UNSUPPORTED: {
    summary: 'A field is part of the contract but not implemented by this version.',
    httpStatus: 400,
  },
  NAME_INVALID: { summary: 'A metadata.name is empty or has characters outside [A-Za-z0-9_.-].', httpStatus: 400 },
  IFNAME_TOO_LONG: { summary: 'A name that becomes a Linux interface name is longer than 15 bytes.', httpStatus: 400 },
  IFNAME_INVALID: {
    summary: 'A name that becomes a Linux interface name has characters outside [A-Za-z0-9_.-] or is "." or "..".',
    httpStatus: 400,
  },
  IP_INVALID: {
    summary: 'A value that must be an IPv4 or IPv6 address is not one (or not of the family the field needs).',
    httpStatus: 400,
  },
  IP_UNUSABLE: {
    summary:
      'An address is well-formed but cannot serve the field: unspecified, broadcast, multicast, loopback, link-local, reserved, or IPv4-mapped/compatible IPv6.',
    httpStatus: 400,
  },
  VNI_RANGE: { summary: 'A VNI is outside 1..16777215.', httpStatus: 400 },
  VNI_DUPLICATE: { summary: 'Two networks use the same VNI.', httpStatus: 400 },
  VLAN_RANGE: { summary: 'A VLAN id (spec.vlan) is outside 1..4094.', httpStatus: 400 },
  VLAN_DUPLICATE: {
    summary: 'Two networks (or a network and an L3VNI) get the same VLAN on a node that uses a single VXLAN device.',
    httpStatus: 400,
  },
  MTU_RANGE: { summary: 'An MTU is outside 576..9216.', httpStatus: 400 },
  MTU_EXCEEDS_UNDERLAY: {
    summary: 'An overlay MTU plus VXLAN encapsulation does not fit the underlay MTU.',
    httpStatus: 400,
  },
  ASN_RANGE: { summary: 'An AS number is outside 1..4294967295, or is 23456 (AS_TRANS).', httpStatus: 400 },
  ASN_MISSING: { summary: "A node has no AS number: set EVPNFabric spec.asn or the node's asn.", httpStatus: 400 },
  ASN_MIXED: {
    summary: 'Per-node AS numbers differ on a flat underlay: an eBGP fabric needs uplinks on every node.',
    httpStatus: 400,
  },
  ASN_SHARED: {
    summary: 'Two nodes of an eBGP fabric share an AS number, and not both are spines.',
    httpStatus: 400,
  },
  RT_MISMATCH: {
    summary:
      "A network's or VRF's explicit route targets cannot match across its nodes: no export RT is imported, or auto-derived ones (ASN:VNI) fall outside an explicit list.",
    httpStatus: 400,
  },
  UPLINKS_MISSING: {
    summary: 'A node of a routed underlay (some nodes have uplinks) has no uplinks.',
    httpStatus: 400,
  },
  PEER_DUPLICATE: {
    summary:
      "A peer is listed twice on a node, or is already a fabric session (another node's vtepAddress, the node's own, or one of its uplinks).",
    httpStatus: 400,
  },
  BFD_RANGE: {
    summary:
      "A BFD timer is outside FRR's range: detectMultiplier 2..255, receiveInterval and transmitInterval 10..60000 ms.",
    httpStatus: 400,
  },
  SECRET_SOURCE: {
    summary:
      'A passwordFrom does not name exactly one source: file (an absolute path) or env (an environment variable name), with base64: true when that text is base64.',
    httpStatus: 400,
  },
  SECRET_UNAVAILABLE: {
    summary:
      'At apply time, the node could not read a passwordFrom secret (file missing or unreadable, variable unset), or its value is not usable (empty, over 80 bytes, whitespace or non-printable characters, bad base64). FRR and the kernel are left as they were.',
    httpStatus: 400,
  },
  PORT_RANGE: { summary: 'A UDP port is outside 1..65535.', httpStatus: 400 },
  ROUTER_ID_REQUIRED: { summary: 'A node whose VTEP address is IPv6 needs an IPv4 routerID.', httpStatus: 400 },
  ROUTER_ID_DUPLICATE: {
    summary: 'Two nodes end up with the same BGP router ID (a routerID, or an IPv4 vtepAddress standing in for one).',
    httpStatus: 400,
  },
  NODE_DUPLICATE: { summary: 'A node name is listed twice in EVPNFabric spec.nodes.', httpStatus: 400 },
  VTEP_DUPLICATE: { summary: 'Two nodes share one VTEP address.', httpStatus: 400 },
  NODE_UNKNOWN: { summary: 'A reference names a node that EVPNFabric spec.nodes does not list.', httpStatus: 400 },
  FABRIC_MISSING: { summary: 'Networks are given but there is no EVPNFabric resource.', httpStatus: 400 },
  FABRIC_MULTIPLE: {
    summary: 'More than one EVPNFabric resource is given; a daemon serves one fabric.',
    httpStatus: 400,
  },
  BRIDGE_DUPLICATE: {
    summary: 'Two networks would create the same bridge (or a bridge clashes with a VXLAN device name).',
    httpStatus: 400,
  },
  PORT_DUPLICATE: {
    summary: 'One interface on one node is listed as a port of two networks (or twice).',
    httpStatus: 400,
  },
  PORT_INVALID: {
    summary:
      'A port or exit uplink names an interface that can never be one: the loopback, or a bridge, VXLAN or VRF device the daemon creates itself.',
    httpStatus: 400,
  },
  DEVICE_NAME_DUPLICATE: {
    summary: 'A VRF device, an L3VNI bridge or VXLAN device has the name of another device the daemon creates.',
    httpStatus: 400,
  },
  L3VNI_REQUIRED: { summary: 'With symmetric IRB (the default) every EVPNVRF needs an l3vni.', httpStatus: 400 },
  IRB_MODE_CONFLICT: {
    summary: 'An EVPNVRF sets l3vni, type-5 advertise, an exit, rd or routeTargets, which asymmetric IRB does not use.',
    httpStatus: 400,
  },
  TABLE_RANGE: {
    summary: 'A VRF routing table is outside 1..4294967295 or is one the kernel reserves (253, 254, 255).',
    httpStatus: 400,
  },
  TABLE_DUPLICATE: { summary: 'Two VRFs use the same routing table (set explicitly or derived).', httpStatus: 400 },
  MAC_INVALID: { summary: 'A MAC address is not six hex octets separated all by ":" or all by "-".', httpStatus: 400 },
  MAC_NOT_UNICAST: { summary: 'A router or gateway MAC is a multicast MAC or all zeros.', httpStatus: 400 },
  ROUTER_MAC_SHARED: {
    summary: 'A single routerMAC string is given for a VRF on more than one node; router MACs must differ per node.',
    httpStatus: 400,
  },
  ROUTER_MAC_DUPLICATE: {
    summary: 'Two nodes of a VRF have the same router MAC, or a router MAC equals an anycast gateway MAC in that VRF.',
    httpStatus: 400,
  },
  EXIT_UPLINK_MISSING: {
    summary: 'An exit node of a VRF has no uplink while other exit nodes have one.',
    httpStatus: 400,
  },
  SNAT_NO_EXIT: {
    summary: "A network's gateway asks for SNAT, but its VRF has no exit node to translate at.",
    httpStatus: 400,
  },
  SNAT_NO_SOURCE: {
    summary: "A network's gateway asks for SNAT of a family an exit uplink has no address of.",
    httpStatus: 400,
  },
  CIDR_INVALID: {
    summary: 'A value that must be an IPv4 or IPv6 CIDR (address/prefix length) of a given family is not one.',
    httpStatus: 400,
  },
  NEXTHOP_OUTSIDE_SUBNET: {
    summary: "An exit uplink's nextHop is not inside the uplink's own subnet of that family.",
    httpStatus: 400,
  },
  VRF_UNKNOWN: { summary: 'An EVPNNetwork names an EVPNVRF that is not in the desired set.', httpStatus: 400 },
  VRF_NOT_ON_NODE: { summary: 'A routed EVPNNetwork exists on a node where its EVPNVRF does not.', httpStatus: 400 },
  GATEWAY_NEEDS_VRF: { summary: 'An EVPNNetwork has a gateway but no vrf.', httpStatus: 400 },
  GATEWAY_ADDRESS: {
    summary:
      'A gateway or uplink address is not a host address of its own subnet (the network or broadcast address, or a /32 or /128).',
    httpStatus: 400,
  },
  GATEWAY_DUPLICATE: { summary: 'Two networks in one VRF have the same gateway IP address.', httpStatus: 400 },
  SUBNET_OVERLAP: {
    summary: 'Two subnets in one VRF overlap (gateway subnets of two networks, or an exit uplink and a network).',
    httpStatus: 400,
  },
  ASYMMETRIC_COVERAGE: {
    summary: 'With asymmetric IRB a routed network is missing from some nodes of its VRF.',
    httpStatus: 400,
  },
  RR_NO_CLIENTS: { summary: 'Route reflectors are configured but every node is a route reflector.', httpStatus: 400 },
  TARGET_INVALID: { summary: 'A target is not of the form Kind/name.', httpStatus: 400 },
  UNAUTHORIZED: {
    summary: 'The TCP listener needs Authorization: Bearer <token> and the request had none or a wrong one.',
    httpStatus: 401,
  },
  NOT_FOUND: { summary: 'The named resource or generation does not exist.', httpStatus: 404 },
  REQUEST_INVALID: { summary: 'The API request body does not match the control API schema.', httpStatus: 400 },
  INTERNAL: { summary: 'An unexpected daemon error; details are in the daemon log.', httpStatus: 500 },
} as const satisfies Record<string, ErrorCodeInfo>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ValidationIssue {
  resource: string; // Kind/name, or "document N" before a kind is known
  path: string; // dotted field path, e.g. spec.nodes[1].vtepAddress
  code: ErrorCode;
  message: string;
}

// How a rule reports a problem: bound to its resource once, then one call per problem.
export type Push = (path: string, code: ErrorCode, message: string) => void;

export function pusher(issues: ValidationIssue[], resource: string): Push {
  return (path, code, message) => issues.push({ resource, path, code, message });
}

// C0 controls (U+0000..U+001F) and DEL (U+007F).
function isControl(c: string): boolean {
  const code = c.charCodeAt(0);
  return code <= 0x1f || code === 0x7f;
}

// One line per issue, whatever a user put in a name or value: control
// characters (a newline in a name) are shown escaped, as JSON writes them.
export function formatIssue(issue: ValidationIssue): string {
  const line = `${issue.resource}: ${issue.path || '(document)'}: ${issue.code}: ${issue.message}`;
  let out = '';
  for (const c of line) out += isControl(c) ? JSON.stringify(c).slice(1, -1) : c;
  return out;
}

// Thrown where a whole request must be refused with a registered code.
export class CodedError extends Error {
  readonly code: ErrorCode;
  readonly issues: ValidationIssue[];
  constructor(code: ErrorCode, message: string, issues: ValidationIssue[] = []) {
    super(message);
    this.name = 'CodedError';
    this.code = code;
    this.issues = issues;
  }
  get httpStatus(): number {
    return ERROR_CODES[this.code].httpStatus;
  }
}
