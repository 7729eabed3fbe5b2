import { describe, expect, it } from 'vitest';
import { ToolIndex, type SearchableTool } from './tool-index';

// A few tools as the gateway serves them (<server>__<tool>), with the naming styles servers use.
const TOOLS: SearchableTool[] = [
  { name: 'fs__list_files', description: 'Lists the entries of a path.' },
  { name: 'fs__read_text_file', title: 'Read text file', description: 'Returns what a path holds, as text.' },
  { name: 'fs__create_directory', description: 'Creates a directory and its parents.' },
  { name: 'github__merge_pull_request', description: 'Merges a pull request.' },
  { name: 'github__listPullRequests', description: 'Lists the open pull requests.' },
  { name: 'slack__postMessage', description: 'Posts a message to a channel.' },
  {
    name: 'web__scrape',
    description: 'Fetches a page and answers it as markdown.',
    inputSchema: { type: 'object', properties: { url: { type: 'string', description: 'The page URL.' } } },
  },
  {
    name: 'notes__archive',
    description:
      'Archives a note. Use it instead of delete_file when you want to delete a file and keep a copy.',
  },
  { name: 'notes__delete_file', description: 'Removes a note for good.' },
];

const index = new ToolIndex(TOOLS);
const names = (query: string, limit?: number) => index.search(query, limit).map((hit) => hit.tool.name);

describe('ToolIndex', () => {
  it('reads the words in identifiers: snake_case, camelCase and server__tool', () => {
    expect(names('merge pull request')[0]).toBe('github__merge_pull_request');
    expect(names('list pull requests')[0]).toBe('github__listPullRequests');
    expect(names('post message')[0]).toBe('slack__postMessage');
    // The server's name is a word of every tool it serves.
    expect(names('slack')).toEqual(['slack__postMessage']);
    expect(names('github', 10).sort()).toEqual(['github__listPullRequests', 'github__merge_pull_request']);
  });

  it('matches words by their stem', () => {
    expect(names('listing files')[0]).toBe('fs__list_files');
    expect(names('merging')[0]).toBe('github__merge_pull_request');
  });

  it('ranks a tool named for the task above one whose description only mentions it', () => {
    const ranked = names('delete file');
    expect(ranked.indexOf('notes__delete_file')).toBe(0);
    expect(ranked).toContain('notes__archive');
  });

  it('brings related words along: what a user says is not always what a tool says', () => {
    expect(names('make a new folder')[0]).toBe('fs__create_directory');
    expect(names('merge my PR')[0]).toBe('github__merge_pull_request');
    // A URL stands for "a URL", not for the words in it.
    expect(names('https://example.com/list/files/post/message')[0]).toBe('web__scrape');
  });

  it('answers at most `limit` tools, 5 by default, best first', () => {
    const hits = index.search('file directory path pull request message page note', 3);
    expect(hits).toHaveLength(3);
    expect(hits.map((h) => h.score)).toEqual([...hits.map((h) => h.score)].sort((a, b) => b - a));
    expect(index.search('file directory path pull request message page note')).toHaveLength(5);
  });

  it('answers nothing for an empty query, one of only function words or numbers, or one nothing matches', () => {
    expect(index.search('')).toEqual([]);
    expect(index.search('   ')).toEqual([]);
    expect(index.search('how do I do it')).toEqual([]);
    expect(index.search('42 1337')).toEqual([]);
    expect(index.search('kubernetes')).toEqual([]);
    expect(new ToolIndex([]).search('read a file')).toEqual([]);
  });
});
