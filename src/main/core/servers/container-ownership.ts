import { containerNameOf, type ServerSpec } from '../../../shared/servers';
import type { ContainerFacts } from '../docker/inspect-container';
import { INSTANCE, MANAGED, SERVER } from '../docker/labels';
import type { Placements } from './placements';

// 'foreign' is someone else's container at the server's name: never shown as the server's, never
// touched without the user's clash choice.
export type Ownership = 'ours' | 'adopted' | 'foreign';

// Where a server's container lives and whose a container found there is: the two questions every
// lifecycle step asks before it touches the engine.
export class ContainerOwnership {
  constructor(
    private readonly placements: Placements,
    // This data directory's id (instance-id.ts), the label on every container it created.
    readonly instance: string,
  ) {}

  containerName(spec: ServerSpec): string {
    return this.placements.get(spec.name)?.containerName ?? containerNameOf(spec);
  }

  of(spec: ServerSpec, info: ContainerFacts): Ownership {
    // A container from before the instance label, at this server's name, is taken as ours: the
    // next Start recreates it with the label. Another data directory's is someone else's.
    const owner = info.labels[INSTANCE];
    if (
      info.labels[MANAGED] === 'true' &&
      info.labels[SERVER] === spec.name &&
      (owner === undefined || owner === this.instance)
    )
      return 'ours';
    const placement = this.placements.get(spec.name);
    if (placement?.adopted && placement.containerName === info.name) return 'adopted';
    return 'foreign';
  }
}
