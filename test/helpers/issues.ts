// Assertions on validation issues: exactly these problems, by code and field
// path (and resource where given), plus a validator that remembers every code
// it saw, for the "every code was produced by a test" checks.
import assert from 'node:assert/strict';
import { type ErrorCode, formatIssue, type ValidationIssue } from '../../src/resources/error-codes.ts';
import { validateYaml } from '../../src/resources/validate.ts';

export interface ExpectedIssue {
  code: ErrorCode;
  path: string;
  resource?: string;
}

export type IssueTriple = [resource: string, path: string, code: ErrorCode];

// Exactly `expected`, in order; an expected entry without resource matches any resource.
export function expectIssues(issues: readonly ValidationIssue[], expected: readonly ExpectedIssue[]): void {
  const shown = (i: ExpectedIssue, withResource: boolean) => ({
    code: i.code,
    path: i.path,
    ...(withResource ? { resource: i.resource } : {}),
  });
  const got = issues.map((i, n) => shown(i, expected[n]?.resource !== undefined));
  const want = expected.map((e) => shown(e, e.resource !== undefined));
  assert.deepEqual(got, want, `issues:\n${issues.map(formatIssue).join('\n') || '(none)'}`);
}

export const triples = (issues: readonly ValidationIssue[]): IssueTriple[] =>
  issues.map((i) => [i.resource, i.path, i.code]);

// Codes only the VRF and routed-network rules raise: resources-validate-vrf.test.ts
// produces each of them, resources-validate.test.ts leaves them to it.
export const FROM_VRF_RULES: ErrorCode[] = [
  'DEVICE_NAME_DUPLICATE',
  'L3VNI_REQUIRED',
  'IRB_MODE_CONFLICT',
  'TABLE_RANGE',
  'TABLE_DUPLICATE',
  'MAC_INVALID',
  'MAC_NOT_UNICAST',
  'ROUTER_MAC_SHARED',
  'ROUTER_MAC_DUPLICATE',
  'EXIT_UPLINK_MISSING',
  'SNAT_NO_EXIT',
  'SNAT_NO_SOURCE',
  'CIDR_INVALID',
  'NEXTHOP_OUTSIDE_SUBNET',
  'VRF_UNKNOWN',
  'VRF_NOT_ON_NODE',
  'GATEWAY_NEEDS_VRF',
  'GATEWAY_ADDRESS',
  'GATEWAY_DUPLICATE',
  'SUBNET_OVERLAP',
  'ASYMMETRIC_COVERAGE',
];

// Codes only the single VXLAN device's rules raise: single-vxlan.test.ts
// produces them, resources-validate.test.ts leaves them to it.
export const FROM_SINGLE_RULES: ErrorCode[] = ['VLAN_RANGE', 'VLAN_DUPLICATE'];

// Codes only the routed underlay's rules raise: resources-validate-underlay.test.ts
// produces them, resources-validate.test.ts leaves them to it.
// Produced in resources-validate-rt.test.ts.
export const FROM_RT_RULES: ErrorCode[] = ['RT_MISMATCH'];

export const FROM_UNDERLAY_RULES: ErrorCode[] = ['ASN_SHARED', 'UPLINKS_MISSING', 'ROUTER_ID_DUPLICATE'];

export interface IssueChecker {
  seen: Set<ErrorCode>; // every code validate() returned so far
  validate(text: string): ValidationIssue[];
  issuesOf(text: string): IssueTriple[];
  // Exactly one issue, at resource/path with code, its message including each of `includes`.
  expectOne(text: string, resource: string, path: string, code: ErrorCode, ...includes: string[]): ValidationIssue;
}

// validateYaml with bookkeeping: codes seen, ok consistent with the issues, messages that say something.
export function issueChecker(minMessage = 10): IssueChecker {
  const seen = new Set<ErrorCode>();
  const validate = (text: string): ValidationIssue[] => {
    const result = validateYaml(text);
    for (const i of result.issues) seen.add(i.code);
    assert.equal(result.ok, result.issues.length === 0);
    for (const i of result.issues) assert.ok(i.message.length > minMessage, `${i.code} at ${i.path}: a message`);
    return result.issues;
  };
  const expectOne: IssueChecker['expectOne'] = (text, resource, path, code, ...includes) => {
    const issues = validate(text);
    expectIssues(issues, [{ resource, path, code }]);
    const message = issues[0]!.message;
    for (const part of includes) assert.ok(message.includes(part), `message "${message}" should include "${part}"`);
    return issues[0]!;
  };
  return { seen, validate, issuesOf: (text) => triples(validate(text)), expectOne };
}

// Codes only the peer, BFD and password rules raise: resources-validate-peers.test.ts
// produces them (SECRET_UNAVAILABLE: secrets.test.ts, on the node at apply time).
export const FROM_PEER_RULES: ErrorCode[] = ['PEER_DUPLICATE', 'BFD_RANGE', 'SECRET_SOURCE', 'SECRET_UNAVAILABLE'];
