import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './respond';

const digest = (value: string) => createHash('sha256').update(value).digest();

// The CLI's proof that it may steer the running app (/control/...): it can read this run's
// random token from app-origin.json (0600) in the data directory. Compared as hashes, in constant
// time. Answers false after refusing the request.
export function controlGuard(token: string): (req: IncomingMessage, res: ServerResponse) => boolean {
  const expected = digest(token);
  return (req, res) => {
    const header = req.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (timingSafeEqual(digest(given), expected)) return true;
    sendJson(
      res,
      401,
      { error: 'unauthorized', message: 'the control token of the running app is required' },
      { 'www-authenticate': 'Bearer' },
    );
    return false;
  };
}
