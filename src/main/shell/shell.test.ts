import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { query, call, event } from '../../shared/contract-kit';
import { serveContract } from '../../shared/contract-server';
import type { PendingApproval } from '../../shared/approvals';

// Electron cannot load here (no binary), and the shell's logic does not need it to: every piece
// of Electron the shell touches is a mock that records what it was asked.
const electron = vi.hoisted(() => {
  const handlers = new Map<string, (...args: unknown[]) => unknown>();
  return {
    handlers,
    openExternal: vi.fn(async () => undefined),
    ipcMain: {
      handle: vi.fn((channel: string, fn: (...args: unknown[]) => unknown) => handlers.set(channel, fn)),
      removeHandler: vi.fn((channel: string) => handlers.delete(channel)),
    },
    BrowserWindow: vi.fn() as ReturnType<typeof vi.fn> & { mock: { calls: unknown[][] } },
    notifications: [] as { options: { title: string; body: string }; click?: () => void; shown: boolean }[],
    notificationsSupported: true,
    registerSchemesAsPrivileged: vi.fn(),
    protocolHandle: vi.fn(),
    app: {
      requestSingleInstanceLock: vi.fn(() => true),
      quit: vi.fn(),
      on: vi.fn(),
      whenReady: vi.fn(() => new Promise(() => undefined)),
    },
  };
});

const keychain = vi.hoisted(() => ({
  available: true,
  backend: 'gnome_libsecret',
  encryptString: (text: string) => Buffer.from(`wrapped:${text}`),
  decryptString: (buf: Buffer) => buf.toString().replace(/^wrapped:/, ''),
}));

vi.mock('electron', () => ({
  safeStorage: {
    isEncryptionAvailable: () => keychain.available,
    getSelectedStorageBackend: () => keychain.backend,
    encryptString: keychain.encryptString,
    decryptString: keychain.decryptString,
  },
  shell: { openExternal: electron.openExternal },
  ipcMain: electron.ipcMain,
  BrowserWindow: electron.BrowserWindow,
  protocol: {
    registerSchemesAsPrivileged: electron.registerSchemesAsPrivileged,
    handle: electron.protocolHandle,
  },
  app: electron.app,
  dialog: { showErrorBox: vi.fn() },
  session: { defaultSession: {} },
  Menu: { buildFromTemplate: vi.fn() },
  Notification: Object.assign(
    function Notification(this: unknown, options: { title: string; body: string }) {
      const note: (typeof electron.notifications)[number] = { options, shown: false };
      electron.notifications.push(note);
      return {
        on: (event: string, fn: () => void) => {
          if (event === 'click') note.click = fn;
        },
        show: () => {
          note.shown = true;
        },
      };
    },
    { isSupported: () => electron.notificationsSupported },
  ),
  Tray: vi.fn(),
  nativeImage: { createFromPath: vi.fn() },
}));

const { isAllowedExternalUrl, openExternalSafely } = await import('./external-links');
const { hardenWebContents, denyAllPermissions } = await import('./hardening');
const { bindIpc, forwardEvents, isTrustedSender } = await import('./ipc');
const { createMainWindow } = await import('./main-window');
const { respondFromRenderer, registerAppScheme } = await import('./app-protocol');
const { isAppUrl } = await import('./app-url');
const { startDesktop } = await import('./start-desktop');
const { safeStorageKeyProvider } = await import('./safe-storage-key');

beforeEach(() => {
  vi.clearAllMocks();
  electron.handlers.clear();
});

// A web contents stand-in that records the listeners the shell installs.
function fakeContents(url = 'app://mcp-dock/index.html') {
  const listeners = new Map<string, (...args: unknown[]) => void>();
  let openHandler: ((d: { url: string }) => { action: string }) | undefined;
  const contents = {
    on: vi.fn((name: string, fn: (...args: unknown[]) => void) => listeners.set(name, fn)),
    setWindowOpenHandler: vi.fn((fn: typeof openHandler) => (openHandler = fn)),
    isDestroyed: () => false,
    getURL: () => url,
    send: vi.fn(),
    mainFrame: { url },
  };
  return {
    contents,
    fire(name: string, url: string) {
      const event = { preventDefault: vi.fn() };
      listeners.get(name)?.(event, url);
      return event.preventDefault.mock.calls.length > 0;
    },
    open: (target: string) => openHandler?.({ url: target }),
  };
}

describe('external links', () => {
  it.each([
    ['https://modelcontextprotocol.io/docs', true],
    ['https://github.com/org/repo', true],
    ['http://docs.docker.com/engine/', true],
    ['https://evil.example/', false],
    ['https://github.com.evil.example/', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['vscode://extension/foo', false],
    ['vscode:mcp/install?%7B%22name%22%3A%22x%22%7D', true],
    ['cursor://anysphere.cursor-deeplink/mcp/install?name=x&config=e30%3D', true],
    ['cursor://anysphere.cursor-deeplink/settings', false],
    ['lmstudio://add_mcp?name=x&config=e30%3D', true],
    ['lmstudio://settings', false],
    ['goose://extension?cmd=npx&arg=x&id=x&name=x', true],
    ['goose://recipe?x', false],
    ['https://kiro.dev/launch/mcp/add?name=x&config=%7B%7D', true],
    ['https://kiro.dev/docs', false],
    ['https://user:pw@github.com/', false],
    ['not a url', false],
  ])('%s allowed: %s', (url, allowed) => {
    expect(isAllowedExternalUrl(url)).toBe(allowed);
  });

  it('opens only allowlisted URLs', async () => {
    await openExternalSafely('smb://share/x');
    expect(electron.openExternal).not.toHaveBeenCalled();
    await openExternalSafely('https://github.com/');
    expect(electron.openExternal).toHaveBeenCalledWith('https://github.com/');
  });
});

describe('remote sign-ins in the desktop app', () => {
  it('opens the authorization URL core minted in the system browser, and only that', async () => {
    const { openSignInsInBrowser } = await import('./sign-in-browser');
    const signIn = vi.fn(async () => ({ authorizationUrl: 'https://auth.linear.example/authorize?state=s' }));
    const api = openSignInsInBrowser({ remotes: { signIn } } as never);
    expect(await api.remotes.signIn({ name: 'linear' })).toEqual({
      authorizationUrl: 'https://auth.linear.example/authorize?state=s',
    });
    expect(electron.openExternal).toHaveBeenCalledWith('https://auth.linear.example/authorize?state=s');
    electron.openExternal.mockClear();
    signIn.mockResolvedValueOnce({ authorizationUrl: 'file:///etc/passwd' });
    await api.remotes.signIn({ name: 'odd' });
    expect(electron.openExternal).not.toHaveBeenCalled();
  });
});

describe('web contents hardening', () => {
  it('keeps navigation on the app origin and denies every new window', () => {
    const page = fakeContents();
    hardenWebContents(page.contents as never);
    expect(page.fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(page.fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(page.fire('will-redirect', 'https://evil.example/')).toBe(true);
    expect(page.fire('will-navigate', 'app://mcp-dock/index.html#containers')).toBe(false);
    expect(page.open('https://github.com/x')).toEqual({ action: 'deny' });
    expect(electron.openExternal).toHaveBeenCalledWith('https://github.com/x');
    expect(page.open('https://evil.example/')).toEqual({ action: 'deny' });
    expect(electron.openExternal).toHaveBeenCalledTimes(1);
    expect(page.fire('will-attach-webview', '')).toBe(true);
  });

  it('denies every permission request', () => {
    const session = { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn() };
    denyAllPermissions(session as never);
    const callback = vi.fn();
    session.setPermissionRequestHandler.mock.calls[0]![0]({}, 'media', callback);
    expect(callback).toHaveBeenCalledWith(false);
    expect(session.setPermissionCheckHandler.mock.calls[0]![0]()).toBe(false);
  });

  it('trusts only the app origin (and the dev server when one runs)', () => {
    expect(isAppUrl('app://mcp-dock/index.html', {})).toBe(true);
    expect(isAppUrl('app://other/index.html', {})).toBe(false);
    expect(isAppUrl('http://localhost:5173/', {})).toBe(false);
    expect(isAppUrl('http://localhost:5173/', { ELECTRON_RENDERER_URL: 'http://localhost:5173' })).toBe(true);
  });
});

describe('main window', () => {
  it('is isolated, sandboxed, has no Node, and loads the app origin', () => {
    const win = { once: vi.fn(), loadURL: vi.fn(async () => undefined) };
    electron.BrowserWindow.mockImplementationOnce(function () {
      return win;
    });
    createMainWindow('/p/preload.js', '/i.png', undefined);
    const options = electron.BrowserWindow.mock.calls[0]![0] as { webPreferences: Record<string, unknown> };
    expect(win.loadURL).toHaveBeenCalledWith('app://mcp-dock/index.html');
    expect(options.webPreferences).toMatchObject({
      preload: '/p/preload.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
    });
  });
});

describe('app:// protocol', () => {
  it('registers a standard secure scheme', () => {
    registerAppScheme();
    expect(electron.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
  });

  it('serves the build with a CSP and nothing outside it', async () => {
    const root = await mkdtemp(join(tmpdir(), 'mcp-dock-app-'));
    await mkdir(join(root, 'assets'));
    await writeFile(join(root, 'index.html'), '<html></html>');
    const ok = await respondFromRenderer(root, 'app://mcp-dock/index.html');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await respondFromRenderer(root, 'app://mcp-dock/%2e%2e/%2e%2e/etc/passwd')).status).toBe(404);
    expect((await respondFromRenderer(root, 'app://other-host/index.html')).status).toBe(404);
  });
});

describe('IPC binding', () => {
  const demo = {
    engine: {
      getStatus: query(z.object({ state: z.string() })),
      setName: call(z.object({ name: z.string().min(1) }).strict(), z.boolean()),
      onStatus: event(z.object({ state: z.string() })),
    },
  } as const;

  function bound() {
    const listeners = new Set<(p: unknown) => void>();
    const impl = {
      engine: {
        getStatus: vi.fn(async () => ({ state: 'reachable' })),
        setName: vi.fn(async () => true),
        onStatus: (l: (p: { state: string }) => void) => {
          listeners.add(l as (p: unknown) => void);
          return () => listeners.delete(l as (p: unknown) => void);
        },
      },
    };
    const served = serveContract(demo, impl);
    bindIpc(electron.ipcMain as never, served);
    return { impl, served, emit: (p: unknown) => listeners.forEach((l) => l(p)) };
  }

  const trusted = () => {
    const frame = { url: 'app://mcp-dock/index.html' };
    return { senderFrame: frame, sender: { mainFrame: frame } };
  };

  it('registers exactly the contract calls, prefixed', () => {
    bound();
    expect([...electron.handlers.keys()]).toEqual(['mcp-dock:engine.getStatus', 'mcp-dock:engine.setName']);
  });

  it('answers our own top-level frame', async () => {
    const { impl } = bound();
    await expect(
      electron.handlers.get('mcp-dock:engine.setName')!(trusted(), { name: 'x' }),
    ).resolves.toEqual({ ok: true, value: true });
    expect(impl.engine.setName).toHaveBeenCalledWith({ name: 'x' });
  });

  it.each([
    [
      'a foreign page',
      () => ({
        senderFrame: { url: 'https://evil.example/' },
        sender: { mainFrame: { url: 'https://evil.example/' } },
      }),
    ],
    [
      'an iframe inside our page',
      () => ({
        senderFrame: { url: 'app://mcp-dock/index.html' },
        sender: { mainFrame: { url: 'app://mcp-dock/index.html' } },
      }),
    ],
    ['a destroyed frame', () => ({ senderFrame: null, sender: { mainFrame: null } })],
    [
      'a file: page',
      () => {
        const f = { url: 'file:///tmp/x.html' };
        return { senderFrame: f, sender: { mainFrame: f } };
      },
    ],
  ])('refuses %s and never calls core', async (_label, sender) => {
    const { impl } = bound();
    const reply = await electron.handlers.get('mcp-dock:engine.setName')!(sender(), { name: 'x' });
    // Its own code: nothing is wrong with the input, this sender may not call at all.
    expect(reply).toMatchObject({
      ok: false,
      error: { code: 'UNTRUSTED_SENDER', message: /only from the MCP Dock window/ },
    });
    expect(impl.engine.setName).not.toHaveBeenCalled();
    expect(isTrustedSender(sender() as never)).toBe(false);
  });

  it.each([
    null,
    [],
    'x',
    42,
    { name: '' },
    { name: 'x', extra: 1 },
    JSON.parse('{"__proto__":{"a":1},"name":"x"}'),
  ])('rejects payload %j without calling core', async (payload) => {
    const { impl } = bound();
    const reply = await electron.handlers.get('mcp-dock:engine.setName')!(trusted(), payload);
    expect(reply).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(impl.engine.setName).not.toHaveBeenCalled();
  });

  it('forwards events as bare payloads to our windows only', () => {
    const { served, emit } = bound();
    const ours = fakeContents();
    const foreign = fakeContents('https://evil.example/');
    forwardEvents(served, () => [ours.contents, foreign.contents] as never);
    emit({ state: 'unreachable' });
    emit({ state: 42 });
    expect(ours.contents.send).toHaveBeenCalledTimes(1);
    expect(ours.contents.send).toHaveBeenCalledWith('mcp-dock:engine.onStatus', { state: 'unreachable' });
    expect(foreign.contents.send).not.toHaveBeenCalled();
  });
});

describe('desktop start', () => {
  it('quits at once when another instance holds the lock', () => {
    electron.app.requestSingleInstanceLock.mockReturnValueOnce(false);
    expect(startDesktop({ preload: 'p', rendererDir: 'r', icon: 'i', trayIcon: 't' })).toBe(false);
    expect(electron.app.quit).toHaveBeenCalled();
    expect(electron.registerSchemesAsPrivileged).not.toHaveBeenCalled();
  });

  it('takes the lock, registers the scheme before ready, and focuses on a second launch', () => {
    expect(startDesktop({ preload: 'p', rendererDir: 'r', icon: 'i', trayIcon: 't' })).toBe(true);
    expect(electron.registerSchemesAsPrivileged).toHaveBeenCalled();
    const events = electron.app.on.mock.calls.map((c) => c[0]);
    expect(events).toEqual(
      expect.arrayContaining(['second-instance', 'web-contents-created', 'will-quit', 'window-all-closed']),
    );
  });
});

describe('secrets key in the desktop app', () => {
  it('is wrapped by the OS keychain and stable across restarts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcp-dock-key-'));
    keychain.available = true;
    keychain.backend = 'gnome_libsecret';
    const provider = safeStorageKeyProvider(dir);
    expect(provider.kind).toBe('OS keychain');
    const key = await provider.loadOrCreateKey();
    expect(key).toHaveLength(32);
    expect(await safeStorageKeyProvider(dir).loadOrCreateKey()).toEqual(key);
    const { readFile, stat } = await import('node:fs/promises');
    expect(await readFile(join(dir, 'secret.key.safe'), 'utf8')).not.toContain(key.toString('base64'));
    expect((await stat(join(dir, 'secret.key.safe'))).mode & 0o777).toBe(0o600);
  });

  it('uses the 0600 key file where the keychain is only a fixed-key stand-in', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcp-dock-key-'));
    keychain.backend = 'basic_text';
    expect(safeStorageKeyProvider(dir).kind).toBe('key file');
    keychain.available = false;
    keychain.backend = 'gnome_libsecret';
    expect(safeStorageKeyProvider(dir).kind).toBe('key file');
  });
});

describe('held-call notifications', () => {
  it('tells the person once per held call, and a click brings the window', async () => {
    const { notifyHeldCalls } = await import('./held-call-notifications');
    electron.notifications.length = 0;
    let push: (pending: PendingApproval[]) => void = () => undefined;
    const show = vi.fn();
    const stop = notifyHeldCalls(
      {
        onChanged: (listener) => {
          push = listener;
          return () => undefined;
        },
      },
      show,
    );
    const call = (id: string): PendingApproval => ({
      id,
      server: 'files',
      tool: 'delete_file',
      client_id: 'cursor-1',
      client_name: 'Cursor',
      user_id: 'me',
      arguments: {},
      requested_at: '2026-12-07T10:00:00.000Z',
      expires_at: '2026-12-07T10:02:00.000Z',
      asked_in_client: false,
    });
    push([call('a')]);
    push([call('a'), call('b')]);
    push([call('b')]);
    expect(electron.notifications.map((n) => [n.options.body, n.shown])).toEqual([
      ['Cursor wants to run delete_file of files. Allow or deny it in MCP Dock.', true],
      ['Cursor wants to run delete_file of files. Allow or deny it in MCP Dock.', true],
    ]);
    electron.notifications[0]!.click!();
    expect(show).toHaveBeenCalledTimes(1);
    electron.notificationsSupported = false;
    push([call('c')]);
    expect(electron.notifications).toHaveLength(2);
    electron.notificationsSupported = true;
    stop();
  });
});
