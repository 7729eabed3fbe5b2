import type { AuditEvent } from '../../../shared/audit';
import type { DockImpl } from '../../../shared/contract';
import type { Security } from './open-security';

// Live events reach the UI in batches (every 100 ms at most), so a burst of tool calls does not
// become a burst of messages.
export function createAuditApi(security: Security): DockImpl['audit'] {
  return {
    query: (q) => security.audit.query(q),
    verify: () => security.audit.verify(),
    export: ({ query, format }) => security.audit.export(query, format),
    onEvents(listener) {
      let batch: AuditEvent[] = [];
      let timer: NodeJS.Timeout | undefined;
      const flush = () => {
        timer = undefined;
        const out = batch;
        batch = [];
        if (out.length > 0) listener(out);
      };
      const stop = security.audit.subscribe((event) => {
        batch.push(event);
        timer ??= setTimeout(flush, 100);
      });
      return () => {
        stop();
        if (timer) clearTimeout(timer);
      };
    },
  };
}
