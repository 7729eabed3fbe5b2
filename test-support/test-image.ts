import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, rm, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type Docker from 'dockerode';

const run = promisify(execFile);

// An MCP-server image built offline (no registry is reachable here): the host's own node and a
// few coreutils with the libraries ldd lists, plus real MCP servers installed from npm. Shared by
// unit, e2e and benchmark runs; cached by content hash in the engine and on disk.
export const TEST_IMAGE_REPO = 'mcp-dock-test/servers';
// 2: "/" is 0755 and /tmp 1777 (mkdtemp's 0700 kept every non-root user out of the image).
const BUILDER_VERSION = '2';
const ROOT = join(__dirname, '..');
const IMAGE_DIR = join(__dirname, 'image');
const BINARIES = [
  '/usr/bin/node',
  '/usr/bin/tail',
  '/usr/bin/env',
  '/bin/sh',
  '/usr/bin/sleep',
  '/usr/bin/cat',
];

// MCP commands inside the image, as a server spec would name them.
export const SEQUENTIAL_THINKING = ['mcp-server-sequential-thinking'];
export const EVERYTHING = ['mcp-server-everything', 'stdio'];

function contentHash(): string {
  const hash = createHash('sha256').update(BUILDER_VERSION);
  for (const file of ['package.json', 'package-lock.json']) hash.update(readFileSync(join(IMAGE_DIR, file)));
  for (const bin of BINARIES) hash.update(`${bin}:${readFileSync(realpathSync(bin)).length}`);
  hash.update(process.version);
  return hash.digest('hex').slice(0, 12);
}

async function librariesOf(binary: string): Promise<string[]> {
  const { stdout } = await run('ldd', [binary]);
  return [...stdout.matchAll(/(\/[^\s]+\.so[^\s]*)/g)].map((m) => m[1]!);
}

async function installServers(hash: string): Promise<string> {
  const dir = join(ROOT, 'node_modules', '.cache', 'mcp-dock-test-image', hash, 'app');
  if (existsSync(join(dir, 'node_modules', '.bin', 'mcp-server-everything'))) return dir;
  await mkdir(dir, { recursive: true });
  await copyFile(join(IMAGE_DIR, 'package.json'), join(dir, 'package.json'));
  await copyFile(join(IMAGE_DIR, 'package-lock.json'), join(dir, 'package-lock.json'));
  await run('npm', ['ci', '--ignore-scripts', '--omit=dev', '--no-audit', '--no-fund'], { cwd: dir });
  return dir;
}

async function buildRootfs(appDir: string): Promise<string> {
  const rootfs = await mkdtemp(join(tmpdir(), 'mcp-dock-rootfs-'));
  // The tar's "." becomes the image's "/": servers run as non-root users and must get through it.
  await chmod(rootfs, 0o755);
  const files = new Set<string>();
  for (const bin of BINARIES) {
    files.add(bin);
    for (const lib of await librariesOf(realpathSync(bin))) files.add(lib);
  }
  for (const file of files) {
    const target = join(rootfs, file);
    await mkdir(dirname(target), { recursive: true });
    await copyFile(realpathSync(file), target);
  }
  await mkdir(join(rootfs, 'tmp'), { recursive: true });
  // As in every distribution image. The engine's tmpfs over /tmp takes this mode, whatever its options say.
  await chmod(join(rootfs, 'tmp'), 0o1777);
  await mkdir(join(rootfs, 'etc'), { recursive: true });
  await writeFile(
    join(rootfs, 'etc', 'passwd'),
    'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n',
  );
  await writeFile(join(rootfs, 'etc', 'group'), 'root:x:0:\nnogroup:x:65534:\n');
  await cp(appDir, join(rootfs, 'app'), { recursive: true, verbatimSymlinks: true });
  return rootfs;
}

async function importRootfs(docker: Docker, rootfs: string, tag: string): Promise<void> {
  const tar = spawn('tar', ['-C', rootfs, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const stream = await docker.importImage(
    tar.stdout as unknown as string,
    {
      repo: TEST_IMAGE_REPO,
      tag,
      changes: [
        'WORKDIR /app',
        'ENV PATH=/app/node_modules/.bin:/usr/local/bin:/usr/bin:/bin',
        'CMD ["tail","-f","/dev/null"]',
      ],
    } as object,
  );
  await new Promise<void>((resolve, reject) =>
    docker.modem.followProgress(stream, (error) => (error ? reject(error) : resolve())),
  );
}

export async function ensureTestImage(docker: Docker): Promise<string> {
  const tag = contentHash();
  const ref = `${TEST_IMAGE_REPO}:${tag}`;
  try {
    await docker.getImage(ref).inspect();
    return ref;
  } catch {
    // not built yet
  }
  const appDir = await installServers(tag);
  const rootfs = await buildRootfs(appDir);
  try {
    await importRootfs(docker, rootfs, tag);
  } finally {
    await rm(rootfs, { recursive: true, force: true });
  }
  await docker.getImage(ref).inspect();
  return ref;
}
