import { CLIENT_FACTS, type ClientId, type SnippetFormat } from '../../../../../shared/snippets';

// One line above a snippet: what to do with it in this client.
export function SnippetWhere({
  client,
  format,
  configPath,
}: {
  client: ClientId;
  format: SnippetFormat;
  configPath?: string | undefined;
}) {
  const pasteInto = CLIENT_FACTS[client].pasteInto;
  return (
    <p className="small">
      {format === 'shell' ? (
        'Run this in a terminal:'
      ) : configPath ? (
        <>
          Merge into <code aria-label="Config path">{configPath}</code> (or the project&apos;s own config):
        </>
      ) : pasteInto ? (
        <span aria-label="Where to paste">Paste it in {pasteInto}:</span>
      ) : (
        'Add to the client config:'
      )}
    </p>
  );
}
