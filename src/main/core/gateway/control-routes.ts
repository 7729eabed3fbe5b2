import { z } from 'zod';
import { approvalDecisionSchema } from '../../../shared/approvals';
import { formatZodError, isDockError } from '../../../shared/errors';
import { controlGuard } from '../http/control-token';
import { readBody } from '../http/read-body';
import { sendJson } from '../http/respond';
import type { Route } from '../http/router';
import type { CallApprovals } from './call-approvals';

export const CONTROL_PREFIX = '/control/approvals';

const decisionBody = z.object({ decision: approvalDecisionSchema, always: z.boolean().optional() }).strict();

// Held calls for the CLI (`mcp-dock approvals ...`) beside the running app, behind the control
// token (http/control-token.ts).
export function approvalControlRoutes(approvals: CallApprovals, token: string): Route {
  const authorized = controlGuard(token);
  return (req, res, url) => {
    if (url.pathname !== CONTROL_PREFIX && !url.pathname.startsWith(`${CONTROL_PREFIX}/`)) return false;
    if (!authorized(req, res)) return true;
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
