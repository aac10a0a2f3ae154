/**
 * Parser for `WWW-Authenticate` headers (RFC 7235 section 4.1) that extracts the Bearer challenge of
 * RFC 6750 section 3: `Bearer realm="api", error="invalid_token", error_description="..."`.
 */
import type { BearerChallenge } from './errors';

/** One challenge of a `WWW-Authenticate` header: its scheme and its auth-params (names lowercased). */
export interface AuthChallenge {
  readonly scheme: string;
  readonly params: ReadonlyMap<string, string>;
}

const TOKEN_CHARS = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;

/**
 * Parses every challenge of a `WWW-Authenticate` header value. Quoted strings may contain commas and
 * backslash escapes, and token68 values (`Negotiate abc==`) are skipped. Parsing stops at the first syntax
 * error and keeps what was read before it.
 */
export function parseAuthenticateHeader(header: string): AuthChallenge[] {
  const reader = new HeaderReader(header);
  const challenges: AuthChallenge[] = [];
  let current: { scheme: string; params: Map<string, string> } | undefined;

  for (;;) {
    reader.skipSeparators();
    const name = reader.readToken();
    if (name === '') {
      break;
    }
    reader.skipWhitespace();

    if (current !== undefined && reader.peek() === '=') {
      // An auth-param of the current challenge: name = token / quoted-string.
      reader.advance();
      reader.skipWhitespace();
      const value = reader.peek() === '"' ? reader.readQuotedString() : reader.readBareValue();
      if (value === undefined) {
        break;
      }
      current.params.set(name.toLowerCase(), value);
      continue;
    }

    // Any other token starts a new challenge; the token is its scheme.
    current = { scheme: name, params: new Map() };
    challenges.push(current);
    reader.skipToken68();
  }
  return challenges;
}

/** Returns the Bearer challenge of a `WWW-Authenticate` header, or an empty challenge when there is none. */
export function parseBearerChallenge(header: string | undefined): BearerChallenge {
  if (header === undefined) {
    return {};
  }
  const bearer = parseAuthenticateHeader(header).find((challenge) => challenge.scheme.toLowerCase() === 'bearer');
  if (!bearer) {
    return {};
  }
  const error = bearer.params.get('error');
  const errorDescription = bearer.params.get('error_description');
  const scope = bearer.params.get('scope');
  return {
    ...(error !== undefined ? { error } : {}),
    ...(errorDescription !== undefined ? { errorDescription } : {}),
    ...(scope !== undefined ? { scope } : {}),
  };
}

/** A cursor over a header value. */
class HeaderReader {
  position = 0;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.position >= this.text.length;
  }

  peek(): string | undefined {
    return this.text[this.position];
  }

  advance(): void {
    this.position++;
  }

  skipWhitespace(): void {
    while (this.peek() === ' ' || this.peek() === '\t') {
      this.position++;
    }
  }

  skipSeparators(): void {
    while (this.peek() === ' ' || this.peek() === '\t' || this.peek() === ',') {
      this.position++;
    }
  }

  readToken(): string {
    const start = this.position;
    while (!this.atEnd() && TOKEN_CHARS.test(this.text[this.position] as string)) {
      this.position++;
    }
    return this.text.slice(start, this.position);
  }

  /**
   * Reads an unquoted auth-param value up to the next comma or whitespace. RFC 7235 allows only token
   * characters there, but servers send values such as `scope=read:jobs` unquoted, so this is lenient.
   */
  readBareValue(): string {
    const start = this.position;
    while (!this.atEnd() && !/[\s,]/.test(this.text[this.position] as string)) {
      this.position++;
    }
    return this.text.slice(start, this.position);
  }

  /** Moves past a token68 value (`abc==`) when one follows; leaves an auth-param list where it is. */
  skipToken68(): void {
    const start = this.position;
    while (!this.atEnd() && /[A-Za-z0-9\-._~+/]/.test(this.text[this.position] as string)) {
      this.position++;
    }
    while (this.peek() === '=') {
      this.position++;
    }
    this.skipWhitespace();
    if (!this.atEnd() && this.peek() !== ',') {
      this.position = start;
    }
  }

  /** Reads a quoted string starting at `"`; returns undefined when it is not closed. */
  readQuotedString(): string | undefined {
    this.position++;
    let value = '';
    while (!this.atEnd()) {
      const character = this.text[this.position] as string;
      this.position++;
      if (character === '"') {
        return value;
      }
      if (character === '\\' && !this.atEnd()) {
        value += this.text[this.position];
        this.position++;
        continue;
      }
      value += character;
    }
    return undefined;
  }
}
