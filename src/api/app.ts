// buildApp(deps) is the control API without a listener: the daemon listens on
// a Unix socket, tests call app.inject(). Paths and bodies are routerd's.
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { CodedError } from '../resources/error-codes.ts';
import type { Controller } from '../daemon/controller.ts';
import { API_PREFIX, applyResult, codedErrorBody, CONTROL_API_VERSION, errorBody } from './envelopes.ts';
import { registerReadRoutes } from './read-routes.ts';

export interface AppDeps {
  controller: Controller;
  log: Logger;
  token?: string; // required as a bearer token when set (TCP listener)
}

type Body = Record<string, unknown>;

function requireKind(body: unknown, kind: string): Body {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new CodedError('REQUEST_INVALID', 'request body must be a JSON object');
  const b = body as Body;
  if (b.apiVersion !== undefined && b.apiVersion !== CONTROL_API_VERSION) throw new CodedError('REQUEST_INVALID', `unsupported apiVersion ${JSON.stringify(b.apiVersion)}; expected ${CONTROL_API_VERSION}`);
  if (b.kind !== undefined && b.kind !== kind) throw new CodedError('REQUEST_INVALID', `unsupported kind ${JSON.stringify(b.kind)}; expected ${kind}`);
  return b;
}

export function buildApp({ controller, log, token }: AppDeps): FastifyInstance {
  const app: FastifyInstance = Fastify({ loggerInstance: log.child({ component: 'api' }) as FastifyBaseLogger, bodyLimit: 16 * 1024 * 1024 });

  app.setErrorHandler((err: Error, req, reply) => {
    if (err instanceof CodedError) {
      const { status, body } = codedErrorBody(err);
      req.log.info({ code: err.code, issues: err.issues.length, url: req.url }, 'request refused');
      return reply.code(status).send(body);
    }
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) req.log.error({ err, url: req.url }, 'request failed');
    else req.log.info({ url: req.url, message: err.message }, 'request refused');
    return reply.code(status).send(errorBody(status >= 500 ? `INTERNAL: ${err.message}` : `REQUEST_INVALID: ${err.message}`));
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send(errorBody(`NOT_FOUND: no route ${req.method} ${req.url}`)));

  if (token) {
    app.addHook('onRequest', async (req, reply) => {
      if (req.headers.authorization !== `Bearer ${token}`) return reply.code(401).send(errorBody('unauthorized: a bearer token is required'));
    });
  }

  app.post(`${API_PREFIX}/apply`, async (req) => {
    const b = requireKind(req.body, 'ApplyRequest');
    if (typeof b.candidateYaml !== 'string') throw new CodedError('REQUEST_INVALID', 'candidateYaml (string) is required');
    const out = await controller.apply(b.candidateYaml, { replace: b.replace === true, dryRun: b.dryRun === true, noReconcile: b.noReconcile === true });
    return applyResult(out.generation, out.phase, out.resources, out.warnings);
  });

  app.post(`${API_PREFIX}/delete`, async (req) => {
    const b = requireKind(req.body, 'DeleteRequest');
    if (typeof b.target !== 'string') throw new CodedError('REQUEST_INVALID', 'target (Kind/name) is required');
    const out = await controller.delete(b.target, { dryRun: b.dryRun === true, noReconcile: b.noReconcile === true });
    const result = applyResult(out.generation, out.phase, out.resources, out.warnings).result;
    return { apiVersion: CONTROL_API_VERSION, kind: 'DeleteResult', deleted: out.deleted, dryRun: b.dryRun === true, result };
  });

  registerReadRoutes(app, controller);
  return app;
}
