/**
 * A small reader of PowerShell source for the static spec: it finds every command invocation (name,
 * named parameters, where its output goes), every function with its parameters, and the script's own
 * param() block. It understands the subset of the language the OpenHVX scripts are written in, and
 * reports constructs it cannot check (splatting, aliases, commands inside strings) as problems, so a
 * script cannot slip past the catalog check by being written differently.
 */

export type TokenKind = 'newline' | 'semicolon' | 'pipe' | 'open' | 'close' | 'bracket' | 'string' | 'variable' | 'splat' | 'parameter' | 'word' | 'number' | 'operator';

export interface Token {
  kind: TokenKind;
  text: string;
  line: number;
  /** Contents of `$( )` inside a double-quoted string. */
  subexpressions?: string[];
}

/** Where a command's output goes. Only a `statement` that nothing collects writes into the script's result. */
export type OutputContext = 'statement' | 'assigned' | 'piped' | 'returned' | 'grouped';

export interface CommandUse {
  /** The command name; `&` for the call operator, `.` for dot-sourcing. */
  name: string;
  parameters: string[];
  line: number;
  context: OutputContext;
  /** Inside ( ), @( ), $( ) or a script block argument: its output is a value, not the script's output. */
  collected: boolean;
  /** The next command of the pipeline, if this one is piped on. */
  next?: CommandUse;
}

export interface FunctionDefinition {
  name: string;
  parameters: string[];
  line: number;
}

export interface ScanResult {
  tokens: Token[];
  commands: CommandUse[];
  functions: FunctionDefinition[];
  /** The names in the script's own param() block; null when it has none. */
  scriptParameters: string[] | null;
  problems: Array<{ line: number; message: string }>;
}

const KEYWORDS = new Set(
  'begin break catch class continue data define do dynamicparam else elseif end enum exit filter finally for foreach from function hidden if in param process return static switch throw trap try until using var while'.split(' '),
);
const VERB_NOUN = /^[A-Za-z]+-[A-Za-z][A-Za-z0-9]*$/;
const ASSIGNMENTS = new Set(['=', '+=', '-=', '*=', '/=', '%=']);

export function tokenize(source: string): Token[] {
  const text = source.replace(/\r\n?/g, '\n');
  const tokens: Token[] = [];
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const lineOf = (offset: number) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (lineStarts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
  const push = (kind: TokenKind, start: number, end: number, extra: Partial<Token> = {}) => tokens.push({ kind, text: text.slice(start, end), line: lineOf(start), ...extra });

  /** The end of a `$( )` starting at `start` (the `$`), skipping strings inside. */
  const subexpressionEnd = (start: number): number => {
    let depth = 0;
    for (let i = start + 1; i < text.length; i++) {
      const c = text[i];
      if (c === "'") i = text.indexOf("'", i + 1);
      if (i < 0) break;
      if (c === '(') depth++;
      else if (c === ')' && --depth === 0) return i + 1;
    }
    return text.length;
  };

  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1] ?? '';
    const start = i;
    if (c === '\n') {
      push('newline', i, ++i);
    } else if (c === ' ' || c === '\t') {
      i++;
    } else if (c === '`' && next === '\n') {
      i += 2;
    } else if (c === '<' && next === '#') {
      const end = text.indexOf('#>', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === ';') {
      push('semicolon', i, ++i);
    } else if (c === '|' || c === '&') {
      i += next === c ? 2 : 1;
      push(c === '|' && i - start === 1 ? 'pipe' : 'operator', start, i);
    } else if (c === '(' || c === '{') {
      push('open', i, ++i);
    } else if (c === ')' || c === '}') {
      push('close', i, ++i);
    } else if ((c === '@' || c === '$') && next === '(') {
      i += 2;
      push('open', start, i);
    } else if (c === '@' && next === '{') {
      i += 2;
      push('open', start, i);
    } else if (c === '@' && (next === '"' || next === "'")) {
      const end = text.indexOf(`\n${next}@`, i + 2);
      i = end < 0 ? text.length : end + 3;
      push('string', start, i);
    } else if (c === '@' && /[A-Za-z_]/.test(next)) {
      i++;
      while (i < text.length && /\w/.test(text[i])) i++;
      push('splat', start, i);
    } else if (c === '$') {
      i++;
      if (text[i] === '{') i = text.indexOf('}', i) + 1;
      else while (i < text.length && /[\w:?^$]/.test(text[i])) i++;
      push('variable', start, i);
    } else if (c === "'") {
      i = text.indexOf("'", i + 1);
      while (i >= 0 && text[i + 1] === "'") i = text.indexOf("'", i + 2);
      i = i < 0 ? text.length : i + 1;
      push('string', start, i);
    } else if (c === '"') {
      const subexpressions: string[] = [];
      i++;
      while (i < text.length) {
        if (text[i] === '`') i += 2;
        else if (text[i] === '"' && text[i + 1] === '"') i += 2;
        else if (text[i] === '"') break;
        else if (text[i] === '$' && text[i + 1] === '(') {
          const end = subexpressionEnd(i);
          subexpressions.push(text.slice(i + 2, end - 1));
          i = end;
        } else i++;
      }
      i++;
      push('string', start, i, { subexpressions });
    } else if (c === '[') {
      let depth = 0;
      for (; i < text.length; i++) {
        if (text[i] === "'") i = text.indexOf("'", i + 1);
        if (i < 0) i = text.length;
        else if (text[i] === '[') depth++;
        else if (text[i] === ']' && --depth === 0) break;
      }
      push('bracket', start, Math.min(++i, text.length));
    } else if (c === '-' && /[A-Za-z_]/.test(next)) {
      i++;
      while (i < text.length && /\w/.test(text[i])) i++;
      if (text[i] === ':') i++;
      push('parameter', start, i);
    } else if (/[0-9]/.test(c)) {
      while (i < text.length && /[\w.]/.test(text[i])) i++;
      push('number', start, i);
    } else if (/[A-Za-z_]/.test(c)) {
      while (i < text.length && /[\w.-]/.test(text[i])) i++;
      push('word', start, i);
    } else {
      const two = text.slice(i, i + 2);
      i += ['::', '..', '+=', '-=', '*=', '/=', '%=', '++', '--', '!='].includes(two) ? 2 : 1;
      push('operator', start, i);
    }
  }
  return tokens;
}

interface Frame {
  opener: string;
  /** Output of statements in here is a value (a group, a sub-expression, a script block argument). */
  collects: boolean;
  functionBody: boolean;
  definition?: FunctionDefinition;
  atStart: boolean;
  context: OutputContext;
  command: CommandUse | null;
  /** The last command of this frame that ended with a pipe, to link it to the next one. */
  pipedFrom: CommandUse | null;
  /** A `function` keyword was read; its name ('' until read) and then its body follow. */
  pendingFunction: string | null;
  pendingParamBlock: boolean;
  isParamBlock: boolean;
  direct: Token[];
}

function frame(opener: string, collects: boolean, context: OutputContext): Frame {
  return { opener, collects, functionBody: false, atStart: true, context, command: null, pipedFrom: null, pendingFunction: null, pendingParamBlock: false, isParamBlock: false, direct: [] };
}

/** Names declared in a param( ) block: `$Name` after `(`, `,` or an attribute, before `,`, `=` or the end. */
function declaredParameters(tokens: Token[]): string[] {
  const significant = tokens.filter((t) => t.kind !== 'newline');
  const names: string[] = [];
  significant.forEach((token, index) => {
    if (token.kind !== 'variable') return;
    const before = significant[index - 1];
    const after = significant[index + 1];
    const startsDeclaration = !before || before.kind === 'bracket' || (before.kind === 'operator' && before.text === ',');
    const endsDeclaration = !after || (after.kind === 'operator' && (after.text === ',' || after.text === '='));
    if (startsDeclaration && endsDeclaration) names.push(token.text.slice(1));
  });
  return names;
}

export function scanPowerShell(source: string): ScanResult {
  const tokens = tokenize(source);
  const commands: CommandUse[] = [];
  const functions: FunctionDefinition[] = [];
  const problems: ScanResult['problems'] = [];
  let scriptParameters: string[] | null = null;
  const frames: Frame[] = [frame('', false, 'statement')];

  const collected = () => {
    for (let i = frames.length - 1; i > 0; i--) {
      if (frames[i].functionBody) return false;
      if (frames[i].collects) return true;
    }
    return false;
  };
  const startCommand = (top: Frame, name: string, line: number) => {
    const command: CommandUse = { name, parameters: [], line, context: top.context, collected: collected() };
    if (top.context === 'piped' && top.pipedFrom) top.pipedFrom.next = command;
    top.pipedFrom = null;
    top.command = command;
    top.atStart = false;
    commands.push(command);
  };
  const endCommand = (top: Frame, piped: boolean) => {
    if (top.command && piped) top.pipedFrom = top.command;
    top.command = null;
  };

  for (let k = 0; k < tokens.length; k++) {
    const token = tokens[k];
    const top = frames[frames.length - 1];
    if (token.kind !== 'close') top.direct.push(token);
    if (token.kind === 'splat') problems.push({ line: token.line, message: `splatting (${token.text}) hides parameters from the catalog check` });
    if (token.kind === 'string') {
      for (const sub of token.subexpressions ?? []) {
        if (/(^|[\s(;|=])[A-Za-z]+-[A-Za-z][A-Za-z0-9]*(?=[\s)]|$)/.test(sub)) problems.push({ line: token.line, message: `a command inside a string ("$(${sub})") escapes the catalog check` });
      }
    }

    if (token.kind === 'open') {
      const asArgument = top.command !== null;
      const child = frame(token.text, asArgument || token.text !== '{' && token.text !== '@{', token.text === '{' || token.text === '@{' ? 'statement' : 'grouped');
      if (token.text === '{' && top.pendingFunction) {
        child.functionBody = true;
        child.definition = { name: top.pendingFunction, parameters: [], line: token.line };
        functions.push(child.definition);
        top.pendingFunction = null;
      }
      if (token.text === '(' && top.pendingParamBlock) {
        child.isParamBlock = true;
        top.pendingParamBlock = false;
      }
      if (!asArgument) top.atStart = false;
      frames.push(child);
      continue;
    }
    if (token.kind === 'close') {
      if (top.command) endCommand(top, false);
      if (frames.length === 1) {
        problems.push({ line: token.line, message: `unbalanced '${token.text}'` });
        continue;
      }
      const closed = frames.pop()!;
      if (closed.isParamBlock) {
        const names = declaredParameters(closed.direct);
        const owner = [...frames].reverse().find((f) => f.functionBody);
        if (owner?.definition) owner.definition.parameters = names;
        else scriptParameters = names;
      }
      const parent = frames[frames.length - 1];
      if (!parent.command) parent.atStart = false;
      continue;
    }

    if (top.command) {
      if (token.kind === 'newline' || token.kind === 'semicolon') {
        endCommand(top, false);
        top.atStart = true;
        top.context = top.opener === '' || top.opener === '{' ? 'statement' : top.context;
      } else if (token.kind === 'pipe') {
        endCommand(top, true);
        top.atStart = true;
        top.context = 'piped';
      } else if (token.kind === 'parameter') {
        top.command.parameters.push(token.text.slice(1).replace(/:$/, ''));
      }
      continue;
    }

    switch (token.kind) {
      case 'newline':
      case 'semicolon':
        top.atStart = true;
        if (top.opener === '' || top.opener === '{') top.context = 'statement';
        break;
      case 'pipe':
        top.atStart = true;
        top.context = 'piped';
        break;
      case 'word': {
        const lower = token.text.toLowerCase();
        if (top.pendingFunction === '') {
          top.pendingFunction = token.text;
          break;
        }
        if (!top.atStart) break;
        if (KEYWORDS.has(lower)) {
          top.atStart = false;
          if (lower === 'function' || lower === 'filter') top.pendingFunction = '';
          else if (lower === 'param') top.pendingParamBlock = true;
          else if (lower === 'return' || lower === 'throw' || lower === 'exit') {
            top.atStart = true;
            top.context = 'returned';
            if (lower === 'exit') commands.push({ name: 'exit', parameters: [], line: token.line, context: 'statement', collected: false });
          }
          break;
        }
        const after = tokens[k + 1];
        if (after?.kind === 'operator' && ASSIGNMENTS.has(after.text)) {
          // A hashtable key: `Name = value`.
          top.atStart = false;
          break;
        }
        if (!VERB_NOUN.test(token.text)) problems.push({ line: token.line, message: `'${token.text}' is not a Verb-Noun command name (aliases are not allowed)` });
        startCommand(top, token.text, token.line);
        break;
      }
      case 'operator':
        if (ASSIGNMENTS.has(token.text)) {
          top.atStart = true;
          top.context = 'assigned';
        } else if ((token.text === '&' || token.text === '.') && top.atStart) {
          startCommand(top, token.text, token.line);
        } else if (token.text === '&&' || token.text === '||') {
          top.atStart = true;
        } else if (token.text !== ',') {
          if (top.atStart && top.context === 'piped') problems.push({ line: token.line, message: `'${token.text}' after a pipe: aliases such as % and ? are not allowed` });
          top.atStart = false;
        }
        break;
      default:
        top.atStart = false;
    }
  }
  if (frames.length !== 1) problems.push({ line: tokens.at(-1)?.line ?? 0, message: `${frames.length - 1} unclosed group(s)` });
  return { tokens, commands, functions, scriptParameters, problems };
}
