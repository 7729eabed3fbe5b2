import MiniSearch from 'minisearch';
import { stemmer } from 'stemmer';

// What find_tools ranks: a tool as the client would call it.
export interface SearchableTool {
  // As the client calls it (<server>__<tool>).
  name: string;
  title?: string | undefined;
  description?: string | undefined;
  inputSchema?: unknown;
}

export interface ToolHit<T extends SearchableTool> {
  tool: T;
  score: number;
}

// Words in identifiers count as words: get_file_contents, listPullRequests, server__tool.
function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

// Function words carry no signal in a query ("how do I ...") and crowd out the ones that do.
const STOP = new Set(
  'a an and are as at be by can do does for from get give has have how i in into is it its me my of on or please show some that the their them then there these this to use using was what when where which who will with you your'.split(
    ' ',
  ),
);

// Numbers name things (issue 88, port 8080), never what a tool does.
const term = (word: string): string | null => {
  const lower = word.toLowerCase();
  return STOP.has(lower) || /^\d+$/.test(lower) ? null : stemmer(lower);
};

// People put a task in their words, tools describe themselves in theirs: "folder" for directory,
// "PR" for pull request, "popup" for dialog. A query's words bring these related words along, as
// if the user had said them too. General vocabulary of the kinds of tools MCP servers offer, one
// way (word: what a tool may say instead), naming no server or tool. Measured in
// bench/sections/tool-search.ts: recall@5 on the bench's 100 queries 0.73 without it, 0.91 with it
// (the table was written with the misses behind the first number in view), and on 50 held-out
// queries written before it and scored once after, 0.84 and 0.90 (recall@1 0.58 and 0.50: a
// related word sometimes lifts a near miss over the right tool).
const RELATED_WORDS = `
  make: create new | new: create | add: create insert append sum | create: new add
  remove: delete | drop: delete | erase: delete | forget: delete remove
  edit: update modify change | change: update edit modify | modify: update edit | set: update | rename: move
  open: read get | view: read get | fetch: get retrieve | retrieve: get read
  find: search | look: search find | lookup: search
  save: write store | store: save write | write: save | send: post | post: send | reply: respond | respond: reply
  run: execute exec | execute: run | exec: execute run | launch: start | begin: start
  shut: close | quit: close | exit: close | undo: rollback revert | revert: undo rollback | rollback: rollout undo
  folder: directory | dir: directory | directory: folder | inside: contents content | contents: content
  big: size | large: size | hierarchy: tree structure | image: media picture | picture: image | photo: image
  png: image | jpg: image | jpeg: image | pdf: document | docx: document
  capture: screenshot record | screenshot: capture | mouse: hover | mouseover: hover
  popup: dialog | alert: dialog | confirm: dialog | modal: dialog | go: navigate | visit: navigate | browse: navigate
  tab: page | xhr: network request | ajax: network request | call: request
  enter: type input | type: fill input | dropdown: select option | choose: select | pick: select choose
  attach: upload | hit: press | keyboard: key | wide: width size resize | width: resize viewport size
  viewport: resize emulate | mobile: emulate viewport device | video: screencast record
  js: javascript | script: javascript | javascript: script js
  pr: pull request | prs: pull request | ticket: issue | bug: issue error | ci: status check build | check: status
  repo: repository | repos: repository | comment: note | note: comment | tag: label | approve: review
  commit: push | push: commit
  remember: memory store save | recall: memory remember | knowledge: memory graph | memory: knowledge
  table: collection | collection: table | row: document record | record: document row | sql: query select
  group: aggregate | total: sum count | field: property schema column | column: field property
  attribute: property field | plan: explain | database: db | db: database
  associate: link association relation | link: associate association relation | automation: workflow
  said: message | say: message | talk: message | chat: message | discuss: message | conversation: message history
  emoji: reaction | thumbs: reaction emoji | dm: message
  drive: directions travel route | driving: directions travel route | route: directions | commute: directions travel
  latitude: coordinates geocode | longitude: coordinates geocode | coordinates: geocode latitude longitude
  near: local places | nearby: local places | shop: place business | restaurant: place business | altitude: elevation
  internet: web | online: web | google: search web | grab: scrape fetch extract | download: fetch scrape
  site: website | website: site | watch: monitor | track: monitor | academic: paper research | arxiv: paper
  balance: credit | quota: credit usage | billing: credit usage | investigate: research | convert: parse
  exception: error issue | crash: error issue | fix: resolve | org: organization | k8s: kubernetes
  docs: documentation | documentation: docs | package: library | framework: library | sdk: library
  repeat: echo | echo: repeat | environment: env | env: environment | zip: compress gzip | compress: gzip
  reason: think thinking | think: thought thinking
`;

// Keyed by stem, so "folders" and "folder" bring the same words.
const RELATED = new Map(
  RELATED_WORDS.split(/[|\n]/)
    .map((entry) => entry.split(':'))
    .filter((pair): pair is [string, string] => pair.length === 2)
    .map(([word, related]) => [stemmer(word.trim()), related.trim()]),
);

// The query with its related words added (those it does not say already). A URL in a query says
// "a URL" (tools say that); its host and path words only add noise.
function expand(query: string): string {
  const plain = query.replace(/\bhttps?:\/\/\S+/g, ' url ');
  const said = new Set(words(plain).map(term));
  const related = [...said].flatMap((stem) => (stem === null ? [] : (RELATED.get(stem)?.split(' ') ?? [])));
  return [plain, ...new Set(related.filter((word) => !said.has(term(word))))].join(' ');
}

function parameterNames(schema: unknown): string {
  const properties = (schema as { properties?: unknown } | undefined)?.properties;
  if (typeof properties !== 'object' || properties === null) return '';
  return Object.entries(properties as Record<string, { description?: unknown }>)
    .map(([name, p]) => `${name} ${typeof p?.description === 'string' ? p.description : ''}`)
    .join(' ');
}

// BM25 ranking (MiniSearch's BM25+) over each tool's name, title, description and parameters, with
// stemming and identifier splitting, so "read a file" finds read_file and "pull requests" finds
// list_pull_requests. A name counts three times a description: it is what the tool does.
export class ToolIndex<T extends SearchableTool> {
  readonly #tools: T[];
  readonly #index: MiniSearch<{
    id: number;
    name: string;
    title: string;
    description: string;
    params: string;
  }>;

  constructor(tools: readonly T[]) {
    this.#tools = [...tools];
    this.#index = new MiniSearch({
      fields: ['name', 'title', 'description', 'params'],
      tokenize: words,
      processTerm: term,
      searchOptions: {
        boost: { name: 3, title: 2, description: 1, params: 0.5 },
        prefix: (word) => word.length >= 4,
        fuzzy: (word) => (word.length >= 6 ? 0.15 : false),
        combineWith: 'OR',
      },
    });
    this.#index.addAll(
      this.#tools.map((tool, id) => ({
        id,
        name: tool.name,
        title: tool.title ?? '',
        description: tool.description ?? '',
        params: parameterNames(tool.inputSchema),
      })),
    );
  }

  get size(): number {
    return this.#tools.length;
  }

  search(query: string, limit = 5): ToolHit<T>[] {
    return this.#index
      .search(expand(query))
      .slice(0, limit)
      .map((hit) => ({ tool: this.#tools[hit.id as number]!, score: hit.score }));
  }
}
