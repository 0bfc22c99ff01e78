// Shape of the containerlab topology subset the lab runner understands.
// Unknown containerlab keys (mgmt, binds, env, ...) are accepted and ignored so
// that a file stays usable with real containerlab.
import { z } from 'zod';

export const SUPPORTED_KINDS = ['linux', 'bridge'] as const;

const labels = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String));

export const nodeSchema = z
  .object({
    kind: z.string().optional(), // checked with the cross-field rules so one bad kind hides nothing else
    image: z.string().min(1).optional(),
    exec: z.array(z.string()).optional(),
    labels: labels.optional(),
  })
  .passthrough();

export const linkSchema = z
  .object({
    endpoints: z.tuple([z.string(), z.string()], {
      errorMap: () => ({ message: 'must be a list of exactly two "node:interface" strings' }),
    }),
  })
  .passthrough();

export const topologyFileSchema = z
  .object({
    name: z.string({ required_error: 'is required (the lab name)' }).min(1),
    topology: z
      .object({
        defaults: z
          .object({ kind: z.string().optional(), labels: labels.optional() })
          .passthrough()
          .optional(),
        nodes: z.record(z.string(), nodeSchema.nullable(), { required_error: 'is required (a map of node name to node)' }),
        links: z.array(linkSchema).optional(),
      })
      .passthrough(),
  })
  .passthrough();

export type TopologyFile = z.infer<typeof topologyFileSchema>;
