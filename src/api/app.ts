// buildApp(deps) is the control API without a listener: the daemon listens on
// a Unix socket, tests call app.inject(). Paths and bodies are routerd's.
import { timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { CodedError, type ValidationIssue } from '../resources/error-codes.ts';
import { own } from '../resources/own.ts';
import type { Service } from '../service/service.ts';
import { BODY_LIMIT, checkYamlSize, registerBodyLimit, tooLargeBody } from './body-limit.ts';
import { applyResult, codedErrorBody, errorBody } from './envelopes.ts';
import { API_PREFIX, CONTROL_API_VERSION } from './paths.ts';
import { registerReadRoutes } from './read-routes.ts';

export interface AppDeps {
  service: Service;
  log: Logger;
  token?: string; // required as a bearer token when set (TCP listener)
}

type Body = Record<string, unknown>;

function requireKind(body: unknown, kind: string): Body {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new CodedError('REQUEST_INVALID', 'request body must be a JSON object');
  const b = body as Body;
  if (b.apiVersion !== undefined && b.apiVersion !== CONTROL_API_VERSION)
    throw new CodedError(
      'REQUEST_INVALID',
      `unsupported apiVersion ${JSON.stringify(b.apiVersion)}; expected ${CONTROL_API_VERSION}`,
    );
  if (b.kind !== undefined && b.kind !== kind)
    throw new CodedError('REQUEST_INVALID', `unsupported kind ${JSON.stringify(b.kind)}; expected ${kind}`);
  // routerd's schema is additionalProperties: false; a mistyped "dryrun" or a
  // "true" string must not turn a dry run into a real apply.
  const fields = own(REQUEST_FIELDS, kind) ?? {};
  const issues: ValidationIssue[] = [];
  for (const [key, value] of Object.entries(b)) {
    const type = own(fields, key);
    if (!type)
      issues.push({
        resource: kind,
        path: key,
        code: 'FIELD_UNKNOWN',
        message: `unknown field "${key}"; ${kind} has ${Object.keys(fields).join(', ')}`,
      });
    else if (typeof value !== type)
      issues.push({
        resource: kind,
        path: key,
        code: 'FIELD_TYPE',
        message: `expected ${type}, got ${JSON.stringify(value)}`,
      });
  }
  if (issues.length > 0)
    throw new CodedError(
      'REQUEST_INVALID',
      `${issues.length} problem${issues.length === 1 ? '' : 's'} in the ${kind} body; nothing was changed`,
      issues,
    );
  return b;
}

// The request fields routerd's control OpenAPI document defines (force and
// targetApiVersion are accepted for routerctl and have no effect here).
const REQUEST_FIELDS: Record<string, Record<string, 'string' | 'boolean'>> = {
  ApplyRequest: {
    apiVersion: 'string',
    kind: 'string',
    candidateYaml: 'string',
    replace: 'boolean',
    noReconcile: 'boolean',
    dryRun: 'boolean',
  },
  DeleteRequest: {
    apiVersion: 'string',
    kind: 'string',
    target: 'string',
    targetApiVersion: 'string',
    dryRun: 'boolean',
    noReconcile: 'boolean',
    force: 'boolean',
  },
};

// Constant-time comparison, so the token cannot be guessed byte by byte.
function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header ?? '');
  const wanted = Buffer.from(`Bearer ${token}`);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

export function buildApp({ service, log, token }: AppDeps): FastifyInstance {
  // An empty token must never mean "no token": the TCP listener would be open.
  if (token !== undefined && token.trim() === '') throw new Error('buildApp: the bearer token is empty');
  const app: FastifyInstance = Fastify({
    loggerInstance: log.child({ component: 'api' }, { level: 'warn' }) as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT,
  });
  setErrorHandlers(app, log.child({ component: 'api' })); // request logs stay quiet; refusals and failures are logged
  registerBodyLimit(app);
  if (token !== undefined) requireToken(app, token);
  registerWriteRoutes(app, service);
  registerReadRoutes(app, service);
  return app;
}

// A CodedError answers with its registry status; anything else is INTERNAL (500).
function setErrorHandlers(app: FastifyInstance, apiLog: Logger): void {
  app.setErrorHandler((err: Error, req, reply) => {
    if (err instanceof CodedError) {
      const { status, body } = codedErrorBody(err);
      apiLog.info({ code: err.code, issues: err.issues.length, url: req.url }, 'request refused');
      return reply.code(status).send(body);
    }
    if ((err as { statusCode?: number }).statusCode === 413)
      return reply.code(413).send(codedErrorBody(tooLargeBody(undefined)).body);
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) apiLog.error({ err, url: req.url }, 'request failed');
    else apiLog.info({ url: req.url, reason: err.message }, 'request refused');
    return reply
      .code(status)
      .send(errorBody(status >= 500 ? `INTERNAL: ${err.message}` : `REQUEST_INVALID: ${err.message}`));
  });
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send(errorBody(`NOT_FOUND: no route ${req.method} ${req.url}`)),
  );
}

function requireToken(app: FastifyInstance, token: string): void {
  app.addHook('onRequest', async (req, reply) => {
    if (!tokenMatches(req.headers.authorization, token))
      return reply.code(401).send(errorBody('UNAUTHORIZED: a bearer token is required'));
  });
}

function registerWriteRoutes(app: FastifyInstance, service: Service): void {
  app.post(`${API_PREFIX}/apply`, async (req) => {
    const b = requireKind(req.body, 'ApplyRequest');
    if (typeof b.candidateYaml !== 'string')
      throw new CodedError('REQUEST_INVALID', 'candidateYaml (string) is required');
    checkYamlSize(b.candidateYaml);
    const out = await service.apply(b.candidateYaml, {
      replace: b.replace === true,
      dryRun: b.dryRun === true,
      noReconcile: b.noReconcile === true,
    });
    return applyResult(out.generation, out.phase, out.resources, out.warnings);
  });

  app.post(`${API_PREFIX}/delete`, async (req) => {
    const b = requireKind(req.body, 'DeleteRequest');
    if (typeof b.target !== 'string') throw new CodedError('REQUEST_INVALID', 'target (Kind/name) is required');
    const out = await service.delete(b.target, { dryRun: b.dryRun === true, noReconcile: b.noReconcile === true });
    const result = applyResult(out.generation, out.phase, out.resources, out.warnings).result;
    return {
      apiVersion: CONTROL_API_VERSION,
      kind: 'DeleteResult',
      deleted: out.deleted,
      dryRun: b.dryRun === true,
      result,
    };
  });
}
