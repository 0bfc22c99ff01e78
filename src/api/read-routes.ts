// Read-only routes: status, get (resources, generations, one generation's
// YAML) and describe. Each answers from one fresh observation.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CodedError } from '../resources/error-codes.ts';
import type { Service } from '../service/service.ts';
import { nodeStatus } from '../status/status-view.ts';
import { API_PREFIX, CONTROL_API_VERSION } from './paths.ts';

function item(r: { apiVersion: string; kind: string; metadata: { name: string }; spec: unknown }, status: unknown) {
  return { apiVersion: r.apiVersion, kind: r.kind, name: r.metadata.name, spec: r.spec, status: status ?? {} };
}

function getResult(extra: Record<string, unknown>) {
  return { apiVersion: CONTROL_API_VERSION, kind: 'GetResult', metadata: { name: 'routerd-evpn' }, ...extra };
}

export function registerReadRoutes(app: FastifyInstance, service: Service): void {
  app.get(`${API_PREFIX}/status`, () => statusDocument(service));
  app.get(`${API_PREFIX}/get`, (req) => getDocument(service, String(query(req, 'subject') ?? 'resources')));
  app.get(`${API_PREFIX}/describe`, (req) => describeDocument(service, String(query(req, 'target') ?? '')));
}

function query(req: FastifyRequest, key: string): unknown {
  return (req.query as Record<string, unknown>)[key];
}

async function statusDocument(service: Service) {
  const statuses = await service.statuses();
  const lastApplyTime = service.ledger().at(-1)?.startedAt;
  const status = nodeStatus({
    node: service.node,
    generation: service.generation(),
    ...(lastApplyTime ? { lastApplyTime } : {}),
    resources: service.desired(),
    statuses,
    state: service.reconcileState(),
  });
  return {
    apiVersion: CONTROL_API_VERSION,
    kind: 'Status',
    metadata: { name: `routerd-evpn/${service.node}` },
    status,
  };
}

// subject: resources (default), generations, generation/N, Kind or Kind/name.
async function getDocument(service: Service, subject: string) {
  if (subject === 'generations')
    return getResult({ ledger: { generations: service.ledger().map(({ reason: _r, ...g }) => g) } });
  const gen = /^generation\/(\d+)$/.exec(subject);
  if (gen) return getResult({ raw: { generation: Number(gen[1]), yaml: await service.rollbackYaml(Number(gen[1])) } });
  const parts = subject === 'resources' || subject === '' ? [] : subject.split('/');
  if (parts.length > 2 || parts.some((p) => p === '')) {
    const message = `subject "${subject}" is not resources, generations, generation/N, Kind or Kind/name`;
    throw new CodedError('TARGET_INVALID', message);
  }
  const [kind, name] = parts;
  const selected = service.desired().filter((r) => (!kind || r.kind === kind) && (!name || r.metadata.name === name));
  if (name && selected.length === 0) throw new CodedError('NOT_FOUND', `${subject} is not in the desired set`);
  const statuses = await service.statuses();
  return getResult({ items: selected.map((r) => item(r, statuses.get(`${r.kind}/${r.metadata.name}`))) });
}

async function describeDocument(service: Service, target: string) {
  const parts = target.split('/');
  const [kind, name] = parts;
  if (parts.length !== 2 || !kind || !name)
    throw new CodedError('TARGET_INVALID', `target "${target}" is not of the form Kind/name`);
  const r = service.desired().find((x) => x.kind === kind && x.metadata.name === name);
  if (!r) throw new CodedError('NOT_FOUND', `${target} is not in the desired set`);
  const statuses = await service.statuses();
  const resource = item(r, statuses.get(target));
  return { apiVersion: CONTROL_API_VERSION, kind: 'DescribeResult', metadata: { name }, resource };
}
