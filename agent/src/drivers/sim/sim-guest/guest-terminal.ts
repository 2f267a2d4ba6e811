/** What a finished read of the terminal gives the program reading it. */
export type TerminalEvent = { kind: 'line'; line: string } | { kind: 'interrupt' } | { kind: 'eof' };

/** N_TTY's canonical-mode buffer holds 4,095 characters and a newline; further characters are refused. */
const MAX_LINE = 4_095;
const ERASE = '\b \b';

/**
 * A serial tty's line discipline in canonical mode, as getty, login and bash see it: typed characters are
 * echoed (unless a password is read), backspace (DEL or ^H) erases one character, ^U the line and ^W a
 * word, ^C interrupts, ^D on an empty line is end of file, Enter (CR, or CR LF from some clients) ends
 * the line. Escape sequences (arrow and function keys) are swallowed: there is no history or cursor
 * movement to apply them to. Pure: no timers, output only through `write`.
 */
export class GuestTerminal {
  /** Off while a password is read. */
  echo = true;
  private line: string[] = [];
  private escape: 'none' | 'esc' | 'csi' | 'ss3' = 'none';
  private afterCr = false;

  constructor(private readonly write: (text: string) => void) {}

  /**
   * Reads `input` up to and including the first event. Answers the event (null when `input` ran out
   * first) and how many UTF-16 units it consumed, so the reader can act on a line before the rest of
   * what was typed ahead is read (a password after a user name is not echoed).
   */
  read(input: string): { event: TerminalEvent | null; consumed: number } {
    let consumed = 0;
    for (const char of input) {
      consumed += char.length;
      const event = this.take(char);
      if (event) return { event, consumed };
    }
    return { event: null, consumed };
  }

  /** Forgets a half-typed line, as a program that starts reading afresh (after a reboot, a new getty) sees it. */
  reset(): void {
    this.line = [];
    this.escape = 'none';
    this.afterCr = false;
  }

  private take(char: string): TerminalEvent | null {
    const afterCr = this.afterCr;
    this.afterCr = false;
    if (this.escape !== 'none') {
      this.continueEscape(char);
      return null;
    }
    switch (char) {
      case '\n':
        if (afterCr) return null;
        return this.endLine();
      case '\r':
        this.afterCr = true;
        return this.endLine();
      case '\x7f':
      case '\b':
        if (this.line.length > 0) this.erase(1);
        return null;
      case '\x15':
        this.erase(this.line.length);
        return null;
      case '\x17':
        this.erase(this.line.length - this.wordStart());
        return null;
      case '\x03':
        this.line = [];
        this.write(this.echo ? '^C\r\n' : '\r\n');
        return { kind: 'interrupt' };
      case '\x04':
        return this.line.length === 0 ? { kind: 'eof' } : null;
      case '\x1b':
        this.escape = 'esc';
        return null;
    }
    if (char < ' ') return null;
    if (this.line.length >= MAX_LINE) {
      this.write('\x07');
      return null;
    }
    this.line.push(char);
    if (this.echo) this.write(char);
    return null;
  }

  private endLine(): TerminalEvent {
    const line = this.line.join('');
    this.line = [];
    if (this.echo) this.write('\r\n');
    return { kind: 'line', line };
  }

  private erase(count: number): void {
    if (count <= 0) return;
    this.line.splice(this.line.length - count, count);
    if (this.echo) this.write(ERASE.repeat(count));
  }

  /** Where ^W erases back to: the blanks before the cursor, then the word before them. */
  private wordStart(): number {
    let at = this.line.length;
    while (at > 0 && this.line[at - 1] === ' ') at--;
    while (at > 0 && this.line[at - 1] !== ' ') at--;
    return at;
  }

  /** ESC [ … final byte (CSI, arrow keys), ESC O x (SS3, keypad), or ESC and one character. */
  private continueEscape(char: string): void {
    if (this.escape === 'esc') {
      this.escape = char === '[' ? 'csi' : char === 'O' ? 'ss3' : 'none';
      return;
    }
    if (this.escape === 'ss3') {
      this.escape = 'none';
      return;
    }
    const code = char.charCodeAt(0);
    if (code >= 0x40 && code <= 0x7e) this.escape = 'none';
  }
}
