import { z } from 'zod';
import { UsageError } from '../../core/errors';
import { Fernet, generateFernetKey } from '../../core/security/fernet';
import type { CliIo } from '../io';
import { parseFlags } from '../parse';

const USAGE = `Usage:
  mcp-dock crypto keygen                                      print a new Fernet key
  mcp-dock crypto encrypt --key K                             data on stdin -> token on stdout
  mcp-dock crypto decrypt --key K [--ttl S] [--at UNIX_SECONDS]  token on stdin -> data on stdout

Tokens are compatible with Python's cryptography.fernet. decrypt exits 1 with a one-line reason
for any invalid token (wrong key, altered, expired with --ttl, malformed).`;

async function readStdin(io: CliIo): Promise<Buffer> {
  if (!io.stdin) throw new UsageError('this command reads standard input');
  return io.stdin();
}

export async function crypto(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'keygen') {
    parseFlags(rest, {}, z.object({}), USAGE);
    io.out(generateFernetKey());
    return 0;
  }
  if (sub === 'encrypt') {
    const options = parseFlags(
      rest,
      { key: { type: 'string' } },
      z.object({ key: z.string({ error: '--key is required' }) }),
      USAGE,
    );
    const fernet = new Fernet(options.key);
    io.out(fernet.encrypt(await readStdin(io)));
    return 0;
  }
  if (sub === 'decrypt') {
    const options = parseFlags(
      rest,
      { key: { type: 'string' }, ttl: { type: 'string' }, at: { type: 'string' } },
      z.object({
        key: z.string({ error: '--key is required' }),
        ttl: z.coerce.number().int().min(0).optional(),
        at: z.coerce.number().int().min(0).optional(),
      }),
      USAGE,
    );
    const fernet = new Fernet(options.key);
    const token = (await readStdin(io)).toString('utf8').trim();
    if (!token) throw new UsageError('decrypt: no token on standard input');
    const plain = fernet.decrypt(token, {
      ...(options.ttl !== undefined ? { ttl: options.ttl } : {}),
      ...(options.at !== undefined ? { now: options.at } : {}),
    });
    if (io.writeRaw) io.writeRaw(plain);
    else io.out(plain.toString('utf8'));
    return 0;
  }
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    io.out(USAGE);
    return sub === undefined ? 2 : 0;
  }
  throw new UsageError(`unknown crypto subcommand "${sub}"\n${USAGE}`);
}
