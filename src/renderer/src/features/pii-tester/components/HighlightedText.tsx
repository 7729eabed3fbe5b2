import { findingLabel, highlightSegments, type Finding } from '../lib/highlight';

// The scanned text with each finding marked in place and tagged with its type.
export function HighlightedText({ text, findings }: { text: string; findings: readonly Finding[] }) {
  return (
    <div className="pii-highlight" role="group" aria-label="Highlighted text">
      {highlightSegments(text, findings).map((segment) =>
        segment.finding ? (
          <span key={segment.start} className="pii-hit">
            <mark
              data-type={segment.finding.type}
              title={findingLabel(segment.finding)}
              aria-label={findingLabel(segment.finding)}
            >
              {segment.text}
            </mark>
            <span className="pii-tag">{segment.finding.type}</span>
          </span>
        ) : (
          <span key={segment.start}>{segment.text}</span>
        ),
      )}
    </div>
  );
}
