// One registry of every validation and API error code. docs/errors.md lists the
// same codes; test/unit/error-codes.test.ts keeps the two in step.
export interface ErrorCodeInfo {
  summary: string;
  httpStatus: number;
}

export const ERROR_CODES = {
  YAML_PARSE: { summary: 'The document is not valid YAML.', httpStatus: 400 },
  ENVELOPE_INVALID: { summary: 'A document is neither a routerd Router nor a resource with apiVersion, kind, metadata.name and spec.', httpStatus: 400 },
  KIND_UNKNOWN: { summary: 'The apiVersion/kind pair is not one this daemon handles.', httpStatus: 400 },
  RESOURCE_DUPLICATE: { summary: 'Two resources share the same apiVersion/kind/name identity.', httpStatus: 400 },
  FIELD_REQUIRED: { summary: 'A required field is missing.', httpStatus: 400 },
  FIELD_TYPE: { summary: 'A field has the wrong type (for example a string where a number is expected).', httpStatus: 400 },
  FIELD_UNKNOWN: { summary: 'A field is not part of the resource schema (often a typo).', httpStatus: 400 },
  FIELD_VALUE: { summary: 'A field has a value outside the allowed set (an enum).', httpStatus: 400 },
  FIELD_UNSUPPORTED: { summary: 'A field is part of the contract but not implemented by this version.', httpStatus: 400 },
  NAME_INVALID: { summary: 'A metadata.name is empty or has characters outside [A-Za-z0-9_.-].', httpStatus: 400 },
  IFNAME_TOO_LONG: { summary: 'A name that becomes a Linux interface name is longer than 15 bytes.', httpStatus: 400 },
  IFNAME_INVALID: { summary: 'A name that becomes a Linux interface name has characters outside [A-Za-z0-9_.-] or is "." or "..".', httpStatus: 400 },
  IP_INVALID: { summary: 'A value that must be an IPv4 or IPv6 address is not one.', httpStatus: 400 },
  VNI_RANGE: { summary: 'A VNI is outside 1..16777215.', httpStatus: 400 },
  VNI_DUPLICATE: { summary: 'Two networks use the same VNI.', httpStatus: 400 },
  MTU_RANGE: { summary: 'An MTU is outside 576..9216.', httpStatus: 400 },
  MTU_EXCEEDS_UNDERLAY: { summary: 'An overlay MTU plus VXLAN encapsulation does not fit the underlay MTU.', httpStatus: 400 },
  ASN_RANGE: { summary: 'An AS number is outside 1..4294967295.', httpStatus: 400 },
  ASN_MISSING: { summary: 'A node has no AS number: set EVPNFabric spec.asn or the node\'s asn.', httpStatus: 400 },
  ASN_MIXED: { summary: 'Per-node AS numbers differ (an eBGP EVPN overlay), which this version does not render yet.', httpStatus: 400 },
  PORT_RANGE: { summary: 'A UDP port is outside 1..65535.', httpStatus: 400 },
  ROUTER_ID_REQUIRED: { summary: 'A node whose VTEP address is IPv6 needs an IPv4 routerID.', httpStatus: 400 },
  NODE_DUPLICATE: { summary: 'A node name is listed twice in EVPNFabric spec.nodes.', httpStatus: 400 },
  VTEP_DUPLICATE: { summary: 'Two nodes share one VTEP address.', httpStatus: 400 },
  NODE_UNKNOWN: { summary: 'A reference names a node that EVPNFabric spec.nodes does not list.', httpStatus: 400 },
  FABRIC_MISSING: { summary: 'Networks are given but there is no EVPNFabric resource.', httpStatus: 400 },
  FABRIC_MULTIPLE: { summary: 'More than one EVPNFabric resource is given; a daemon serves one fabric.', httpStatus: 400 },
  BRIDGE_DUPLICATE: { summary: 'Two networks would create the same bridge (or a bridge clashes with a VXLAN device name).', httpStatus: 400 },
  PORT_DUPLICATE: { summary: 'One interface on one node is listed as a port of two networks (or twice).', httpStatus: 400 },
  RR_NO_CLIENTS: { summary: 'Route reflectors are configured but every node is a route reflector.', httpStatus: 400 },
  TARGET_INVALID: { summary: 'A target is not of the form Kind/name.', httpStatus: 400 },
  UNAUTHORIZED: { summary: 'The TCP listener needs Authorization: Bearer <token> and the request had none or a wrong one.', httpStatus: 401 },
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

export function formatIssue(issue: ValidationIssue): string {
  return `${issue.resource}: ${issue.path || '(document)'}: ${issue.code}: ${issue.message}`;
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
