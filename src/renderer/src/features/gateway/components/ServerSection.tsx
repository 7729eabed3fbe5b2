import { useId } from 'react';
import type { GatewayServerView, GatewayTool } from '../../../../../shared/gateway';
import { ErrorNote } from '../../../common/ErrorNote';
import { formatRate, plural } from '../lib/format';
import {
  openPinReview,
  setGatewayToolEnabled,
  setGatewayToolPolicy,
  useGatewayStore,
} from '../lib/gateway-store';
import { ToolDescription } from './ToolDescription';

const STATE_LABELS: Record<GatewayServerView['state'], string> = {
  ready: 'ready',
  connecting: 'connecting…',
  down: 'down',
};

function StateBadge({ server }: { server: GatewayServerView }) {
  return (
    <span className={`state gateway-state gateway-state-${server.state}`} aria-label="State">
      {STATE_LABELS[server.state]}
    </span>
  );
}

function ToolRow({ server, tool }: { server: string; tool: GatewayTool }) {
  return (
    <li className={tool.enabled ? 'gateway-tool' : 'gateway-tool off'}>
      <label className="gateway-switch">
        <input
          type="checkbox"
          checked={tool.enabled}
          aria-label={`Enable ${tool.name}`}
          onChange={(e) => void setGatewayToolEnabled(server, tool.upstreamName, e.target.checked)}
        />
        <code>{tool.name}</code>
      </label>
      {tool.upstreamName !== tool.name && (
        <span className="small muted">
          {' '}
          (<code>{tool.upstreamName}</code> upstream)
        </span>
      )}
      <PolicySelect server={server} tool={tool} />
      {tool.pin !== 'approved' && (
        <>
          {' '}
          <span className={`pin-badge pin-${tool.pin}`} title="Withheld from clients until approved">
            {tool.pin === 'changed' ? 'changed: withheld' : 'new: withheld'}
          </span>{' '}
          <button
            type="button"
            className="link-button"
            aria-label={`Review ${tool.upstreamName} of ${server}`}
            onClick={() => openPinReview(server, tool.upstreamName)}
          >
            Review
          </button>
        </>
      )}
      {tool.description && <ToolDescription tool={tool.name} text={tool.description} />}
    </li>
  );
}

const SOURCE_NOTES: Record<GatewayTool['callPolicySource'], string> = {
  tool: 'set for this tool',
  profile: 'the profile’s policy',
  server: 'the server’s default',
  annotations: 'the tool says it is destructive',
  default: 'default',
};

// What a call of the tool does: runs, waits for a person, or is refused. "Inherit" takes the
// tool's own setting away.
function PolicySelect({ server, tool }: { server: string; tool: GatewayTool }) {
  const value = tool.callPolicySource === 'tool' ? tool.callPolicy : 'inherit';
  return (
    <label className="gateway-policy">
      <span className="visually-hidden">Call policy of {tool.name}</span>
      <select
        value={value}
        aria-label={`Call policy of ${tool.name}`}
        onChange={(e) => {
          const next = e.target.value;
          void setGatewayToolPolicy(
            server,
            tool.upstreamName,
            next === 'inherit' ? null : (next as 'allow' | 'ask' | 'deny'),
          );
        }}
      >
        <option value="inherit">
          {tool.callPolicySource === 'tool'
            ? 'Inherit'
            : `${tool.callPolicy} (${SOURCE_NOTES[tool.callPolicySource]})`}
        </option>
        <option value="allow">allow</option>
        <option value="ask">ask a person</option>
        <option value="deny">deny</option>
      </select>
    </label>
  );
}

function NoTools({ state }: { state: GatewayServerView['state'] }) {
  const text =
    state === 'connecting'
      ? 'Listing its tools…'
      : state === 'down'
        ? 'Its tools come back when it is ready again.'
        : 'This server offers no tools.';
  return <p className="small muted">{text}</p>;
}

// One upstream server as clients of the gateway see it: health, policy, traffic and its tools,
// each of which can be switched off (hidden from tool lists and refused) without stopping it.
export function ServerSection({ server }: { server: GatewayServerView }) {
  const titleId = useId();
  const toggleError = useGatewayStore((s) =>
    s.toggleError?.server === server.server ? s.toggleError : null,
  );
  const on = server.tools.filter((t) => t.enabled).length;
  const policyError = useGatewayStore((s) =>
    s.policyError?.server === server.server ? s.policyError : null,
  );
  return (
    <article className="server-card gateway-server" aria-labelledby={titleId}>
      <div className="server-head">
        <h2 id={titleId}>{server.server}</h2>
        <StateBadge server={server} />
      </div>
      {server.reason && (
        <p className={server.state === 'down' ? 'empty-reason' : 'small muted'} aria-label="Reason">
          {server.reason}
        </p>
      )}
      <dl className="gateway-facts">
        <div>
          <dt>PII policy</dt>
          <dd>{server.policy}</dd>
        </div>
        <div>
          <dt>Traffic</dt>
          <dd>{formatRate(server.callsPerMinute)}</dd>
        </div>
        <div title="Each client of the gateway has a session of its own with a server it uses: one server process in the container">
          <dt>Client sessions</dt>
          <dd>{server.clientSessions.toLocaleString('en-US')}</dd>
        </div>
        <div>
          <dt>Prompts</dt>
          <dd>{server.prompts.toLocaleString('en-US')}</dd>
        </div>
        <div>
          <dt>Resources</dt>
          <dd>{server.resources.toLocaleString('en-US')}</dd>
        </div>
      </dl>
      <h3 className="gateway-tools-title">
        Tools{' '}
        <span className="small muted">
          {server.tools.length === 0 ? '' : `${on} of ${plural(server.tools.length, 'tool')} on`}
        </span>
      </h3>
      <ErrorNote
        message={
          toggleError &&
          `Could not ${toggleError.enabled ? 'enable' : 'disable'} ${toggleError.tool}: ${toggleError.message}`
        }
      />
      <ErrorNote
        message={
          policyError && `Could not set the call policy of ${policyError.tool}: ${policyError.message}`
        }
      />
      {server.tools.length === 0 ? (
        <NoTools state={server.state} />
      ) : (
        <ul className="gateway-tools" aria-label={`Tools of ${server.server}`}>
          {server.tools.map((tool) => (
            <ToolRow key={tool.upstreamName} server={server.server} tool={tool} />
          ))}
        </ul>
      )}
    </article>
  );
}
