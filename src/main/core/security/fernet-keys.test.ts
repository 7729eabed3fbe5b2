import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileKeyProvider } from '../secrets/key-provider';
import { openSecretStore } from '../secrets/secret-store';
import { Fernet } from './fernet';
import { fileFernetKeys, openFernetKeys, secretStoreFernetKeys } from './fernet-keys';

const tempDir = () => mkdtemp(join(tmpdir(), 'mcp-dock-fernet-'));

describe('Fernet keys', () => {
  it('generates a key file with mode 0600 on first use, as the guide does, and reads it back', async () => {
    const file = join(await tempDir(), 'encryption.key');
    const keys = await openFernetKeys(fileFernetKeys(file));
    const token = keys.current().encrypt('hello');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const key = (await readFile(file, 'utf8')).trim();
    // The file holds one plain key: Python's Fernet(open(file).read()) reads the same thing.
    expect(new Fernet(key).decrypt(token).toString()).toBe('hello');
    const again = await openFernetKeys(fileFernetKeys(file));
    expect(again.current().decrypt(token).toString()).toBe('hello');
  });

  it('rotates: the new key encrypts, old tokens still decrypt', async () => {
    const file = join(await tempDir(), 'encryption.key');
    const keys = await openFernetKeys(fileFernetKeys(file));
    const old = keys.current().encrypt('before');
    expect(await keys.rotate()).toBe(2);
    const fresh = keys.current().encrypt('after');
    const [newest] = (await readFile(file, 'utf8')).trim().split('\n');
    expect(new Fernet(newest!).decrypt(fresh).toString()).toBe('after');
    expect(keys.current().decrypt(old).toString()).toBe('before');
    expect((await openFernetKeys(fileFernetKeys(file))).count()).toBe(2);
  });

  it('refuses a broken key file instead of replacing it, and leaves it as it was', async () => {
    const file = join(await tempDir(), 'encryption.key');
    await writeFile(file, 'not-a-key\n', { mode: 0o644 });
    await expect(openFernetKeys(fileFernetKeys(file))).rejects.toMatchObject({
      code: 'SECRET_STORE',
      message: expect.stringMatching(/holds an invalid Fernet key/),
    });
    expect(await readFile(file, 'utf8')).toBe('not-a-key\n');
  });

  it('keeps keys encrypted in the secret store by default', async () => {
    const dir = await tempDir();
    const secrets = await openSecretStore(dir, fileKeyProvider(dir));
    const keys = await openFernetKeys(secretStoreFernetKeys(secrets));
    const token = keys.current().encrypt('x');
    const onDisk = await readFile(join(dir, 'secrets.json'), 'utf8');
    expect(onDisk).toContain('fernet-keys');
    const { 'fernet-keys': key } = await secrets.values('security', ['fernet-keys']);
    expect(new Fernet(key!).decrypt(token).toString()).toBe('x');
    expect(onDisk).not.toContain(key!.slice(0, 20));
    const reopened = await openFernetKeys(
      secretStoreFernetKeys(await openSecretStore(dir, fileKeyProvider(dir))),
    );
    expect(reopened.current().decrypt(token).toString()).toBe('x');
    expect(reopened.where).toBe('the secret store');
  });
});
