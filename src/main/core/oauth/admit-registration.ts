import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AttemptThrottle } from './attempt-throttle';
import { sendClientRefusal, sourceOf } from './client-authentication';
import { readJsonObject, replaceBody } from './lib/read-oauth-body';
import type { OAuthLimits } from './oauth-limits';
import { registrationProblem, withRegistrationDefaults } from './registration-policy';

export interface RegistrationGate {
  throttle: AttemptThrottle;
  limits: () => OAuthLimits;
}

// RFC 7591 registration is open to anyone who can reach the port, so a registration request is
// throttled per source and checked before oidc-provider sees it. True: the request goes on to
// the provider with MCP Dock's defaults as its body; false: it has been answered.
export async function admitRegistration(
  req: IncomingMessage,
  res: ServerResponse,
  gate: RegistrationGate,
): Promise<boolean> {
  const decision = await gate.throttle.acquire([
    { key: `register:${sourceOf(req)}`, perMinute: gate.limits().registrationsPerMinute },
  ]);
  if (!decision.ok) {
    sendClientRefusal(res, {
      status: 429,
      error: 'temporarily_unavailable',
      description: `too many client registrations from this address; try again in ${decision.retryAfterS} s`,
      retryAfterS: decision.retryAfterS,
    });
    return false;
  }
  // Only registrations that happened count.
  res.once('finish', () => decision.settle(res.statusCode === 201));
  res.once('close', () => decision.settle(res.statusCode === 201));
  const body = await readJsonObject(req, res);
  if (body === undefined) return false;
  const problem = registrationProblem(body);
  if (problem) {
    res.writeHead(400, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(problem));
    return false;
  }
  replaceBody(req, JSON.stringify(withRegistrationDefaults(body)));
  return true;
}
