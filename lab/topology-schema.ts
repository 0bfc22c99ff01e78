// Shape of the containerlab topology subset the lab runner understands.
// Unknown containerlab keys (mgmt, binds, env, ...) are accepted and ignored so
// that a file stays usable with real containerlab.
import { z } from 'zod';
import { asMapping, asRecord } from '../src/resources/schema.ts';
import { zodExpectedName, zodTypeName } from '../src/resources/shape.ts';

export const SUPPORTED_KINDS = ['linux', 'bridge'] as const;

// zod 3's wording, which the lab's messages have always used; zod 4 words
// them differently. Pass it as the parse's `error`.
export function zod3Message(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'Required';
      return `Expected ${zodExpectedName(issue.expected)}, received ${zodTypeName(issue.input)}`;
    case 'too_small':
      return sizeMessage(issue.origin, 'at least', issue.minimum);
    case 'too_big':
      return sizeMessage(issue.origin, 'at most', issue.maximum);
    case 'invalid_value':
      return `Invalid literal value, expected ${JSON.stringify(issue.values[0])}`;
    case 'invalid_union':
      return 'Invalid input';
    default:
      return undefined;
  }
}

function sizeMessage(origin: string, bound: string, size: number | bigint): string | undefined {
  if (origin === 'string') return `String must contain ${bound} ${size} character(s)`;
  if (origin === 'array') return `Array must contain ${bound} ${size} element(s)`;
  return undefined;
}

// A message of its own for a missing value, zod 3's for any other problem.
function whenMissing(message: string) {
  return { error: (issue: z.core.$ZodRawIssue) => (issue.input === undefined ? message : undefined) };
}

// A length floor checked only once the type matched, as zod 3 did: zod 4's
// min() also measures a wrong-typed value that has a length (an array for a string).
export function atLeast(minimum: number) {
  return (ctx: z.core.ParsePayload<string | unknown[]>): void => {
    if (ctx.value.length >= minimum) return;
    const origin = typeof ctx.value === 'string' ? 'string' : 'array';
    ctx.issues.push({ code: 'too_small', origin, minimum, inclusive: true, input: ctx.value });
  };
}

function looseObject<T extends z.core.$ZodLooseShape>(shape: T) {
  return asMapping(z.looseObject(shape));
}

// Any YAML scalar but null: zod 3's number() took .inf too (only NaN was refused).
const labelValue = z.union([z.string(), z.number(), z.literal([Infinity, -Infinity]), z.boolean()]);
const labels = asRecord(z.record(z.string(), labelValue.transform(String)));

export const nodeSchema = looseObject({
  kind: z.string().optional(), // checked with the cross-field rules so one bad kind hides nothing else
  image: z.string().check(atLeast(1)).optional(),
  exec: z.array(z.string()).optional(),
  binds: z.array(z.string()).optional(),
  labels: labels.optional(),
});

export const linkSchema = looseObject({
  endpoints: z.tuple([z.string(), z.string()], {
    error: () => 'must be a list of exactly two "node:interface" strings',
  }),
});

const topologySchema = looseObject({
  defaults: looseObject({
    kind: z.string().optional(),
    image: z.string().check(atLeast(1)).optional(),
    labels: labels.optional(),
  }).optional(),
  nodes: asRecord(z.record(z.string(), nodeSchema.nullable(), whenMissing('is required (a map of node name to node)'))),
  links: z.array(linkSchema).optional(),
});

const fileSchema = looseObject({
  name: z.string(whenMissing('is required (the lab name)')).check(atLeast(1)),
  topology: topologySchema,
});

// topology.ts prints each issue's message, so parsing applies zod 3's wording.
export const topologyFileSchema = {
  safeParse: (input: unknown) => fileSchema.safeParse(input, { error: zod3Message }),
};

export type TopologyFile = z.infer<typeof fileSchema>;
