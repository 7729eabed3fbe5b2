import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { approvalDecisionSchema } from '../../../shared/approvals';
import { formatZodError, isDockError } from '../../../shared/errors';
import { readBody } from '../http/read-body';
import { sendJson } from '../http/respond';
import type { Route } from '../http/router';
import type { CallApprovals } from './call-approvals';

export const CONTROL_PREFIX = '/control/approvals';

const decisionBody = z.object({ decision: approvalDecisionSchema, always: z.boolean().optional() }).strict();

const digest = (value: string) => createHash('sha256').update(value).digest();

// Held calls for the CLI (`mcp-dock approvals ...`) beside the running app. The caller proves it
// can read the data directory: the token is a random secret of this run that the app writes into
// app-origin.json (0600) there. Compared as hashes, in constant time.
export function approvalControlRoutes(approvals: CallApprovals, token: string): Route {
  const expected = digest(token);
  const authorized = (req: IncomingMessage) => {
    const header = req.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : '';
    return timingSafeEqual(digest(given), expected);
  };
  const refuse = (res: ServerResponse) =>
    sendJson(
      res,
      401,
      { error: 'unauthorized', message: 'the control token of the running app is required' },
      { 'www-authenticate': 'Bearer' },
    );
  return (req, res, url) => {
    if (url.pathname !== CONTROL_PREFIX && !url.pathname.startsWith(`${CONTROL_PREFIX}/`)) return false;
    if (!authorized(req)) {
      refuse(res);
      return true;
    }
    const id = url.pathname.slice(CONTROL_PREFIX.length + 1);
    if (url.pathname === CONTROL_PREFIX) {
      if (req.method !== 'GET')
        sendJson(
          res,
          405,
          { error: 'method_not_allowed', message: `Use GET ${CONTROL_PREFIX}` },
          { allow: 'GET' },
        );
      else sendJson(res, 200, approvals.list());
      return true;
    }
    if (req.method !== 'POST') {
      sendJson(
        res,
        405,
        { error: 'method_not_allowed', message: 'Use POST with {"decision"}' },
        { allow: 'POST' },
      );
      return true;
    }
    return (async () => {
      const badRequest = (reason: string) => {
        sendJson(res, 400, {
          error: 'invalid_request',
          message: `expected {"decision": "allow"|"deny", "always"?: boolean}: ${reason}`,
        });
        return true;
      };
      let json: unknown;
      try {
        json = JSON.parse((await readBody(req, 4096)).toString('utf8'));
      } catch (error) {
        return badRequest((error as Error).message);
      }
      const parsed = decisionBody.safeParse(json);
      if (!parsed.success) return badRequest(formatZodError(parsed.error));
      const body = parsed.data;
      try {
        const decided = approvals.decide(decodeURIComponent(id), {
          allow: body.decision === 'allow',
          always: body.always === true,
          by: 'cli',
        });
        sendJson(res, 200, decided);
      } catch (error) {
        if (!isDockError(error)) throw error;
        sendJson(res, 404, { error: 'not_found', code: error.code, message: error.message });
      }
      return true;
    })();
  };
}
