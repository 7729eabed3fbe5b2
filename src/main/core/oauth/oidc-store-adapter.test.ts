import { describe, expect, it, vi } from 'vitest';
import type { JournalRecord } from './record-journal';
import { storeAdapter, type AdapterBacking, type Table } from './oidc-store-adapter';

function memoryTable(): Table & { rows: Map<string, JournalRecord> } {
  const rows = new Map<string, JournalRecord>();
  return {
    rows,
    get: (id) => rows.get(id),
    values: () => [...rows.values()],
    put: async (id, record) => void rows.set(id, record),
    delete: async (id) => void rows.delete(id),
  };
}

function backing(overrides: Partial<AdapterBacking> = {}) {
  const tables = new Map<string, ReturnType<typeof memoryTable>>();
  const store: AdapterBacking & { tables: typeof tables } = {
    tables,
    table: (model) => {
      if (!tables.has(model)) tables.set(model, memoryTable());
      return tables.get(model)!;
    },
    markClientUsed: vi.fn(),
    resolveClient: undefined,
    revokeByGrantId: vi.fn(async () => undefined),
    now: () => 1_000_000,
    ...overrides,
  };
  return store;
}

describe('the oidc-provider adapter over the OAuth store', () => {
  it('stores a record with its expiry, and finds it by id, uid and user code', async () => {
    const store = backing();
    const Adapter = storeAdapter(store);
    const sessions = new Adapter('Interaction');
    await sessions.upsert('i1', { uid: 'u1', userCode: 'c1' }, 60);
    expect(store.tables.get('Interaction')!.rows.get('i1')).toEqual({
      payload: { uid: 'u1', userCode: 'c1' },
      expiresAt: 1_000_000 + 60_000,
    });
    expect(await sessions.find('i1')).toEqual({ uid: 'u1', userCode: 'c1' });
    expect(await sessions.findByUid('u1')).toEqual({ uid: 'u1', userCode: 'c1' });
    expect(await sessions.findByUserCode('c1')).toEqual({ uid: 'u1', userCode: 'c1' });
    await sessions.destroy('i1');
    expect(await sessions.find('i1')).toBeUndefined();
  });

  it("marks a client used on its first grant, and marks consumed codes with the store's clock", async () => {
    const store = backing();
    const Adapter = storeAdapter(store);
    await new Adapter('Grant').upsert('g1', { clientId: 'c' });
    expect(store.markClientUsed).toHaveBeenCalledWith('c');
    const codes = new Adapter('AuthorizationCode');
    await codes.upsert('code', { grantId: 'g1' });
    await codes.consume('code');
    expect(await codes.find('code')).toEqual({ grantId: 'g1', consumed: 1000 });
    expect(store.markClientUsed).toHaveBeenCalledTimes(1);
  });

  it('asks the metadata-document resolver for clients it does not hold, and only for clients', async () => {
    const resolveClient = vi.fn(async (id: string) => ({ client_id: id }));
    const Adapter = storeAdapter(backing({ resolveClient }));
    expect(await new Adapter('Client').find('https://app.example/client.json')).toEqual({
      client_id: 'https://app.example/client.json',
    });
    expect(await new Adapter('Grant').find('https://app.example/client.json')).toBeUndefined();
    expect(resolveClient).toHaveBeenCalledTimes(1);
  });

  it("hands a grant's end to the store", async () => {
    const store = backing();
    await new (storeAdapter(store))('RefreshToken').revokeByGrantId('g1');
    expect(store.revokeByGrantId).toHaveBeenCalledWith('g1');
  });
});
