import { Fragment } from 'react';

// Core's messages mark commands and paths with backticks (the CLI prints them as they are); here
// they become code spans. An unpaired backtick stays as written.
export function MessageText({ text }: { text: string }) {
  const parts = text.split(/`([^`\n]+)`/);
  if (parts.length === 1) return <>{text}</>;
  return (
    <>
      {parts.map((part, i) =>
        i % 2 === 1 ? <code key={i}>{part}</code> : <Fragment key={i}>{part}</Fragment>,
      )}
    </>
  );
}
