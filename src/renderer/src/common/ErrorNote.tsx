import { MessageText } from './MessageText';

// The one way a pane reports a failed request: an alert the user sees and screen readers announce.
export function ErrorNote({ message }: { message: string | null | undefined }) {
  if (!message) return null;
  return (
    <p className="callout callout-error" role="alert">
      <MessageText text={message} />
    </p>
  );
}
