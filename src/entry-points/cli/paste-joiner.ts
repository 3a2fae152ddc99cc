/**
 * Turns the lines typed in a terminal into messages. A terminal delivers a
 * paste of several lines as lines that arrive within a few milliseconds of
 * each other; a person types one line at a time. So lines that come within
 * `windowMs` of each other are joined into one message. A paste whose last
 * line has no newline leaves that line in the line editor: the message then
 * waits for its Enter and takes that line too.
 */
export const PASTE_WINDOW_MS = 50;

export class PasteJoiner {
  private lines: string[] = [];
  private timer: NodeJS.Timeout | undefined;

  /**
   * @param emit receives each message (the joined lines, separated by "\n")
   * @param pendingInput what sits in the line editor without an Enter yet (readline's `line`)
   */
  constructor(
    private readonly emit: (message: string) => void,
    private readonly pendingInput: () => string = () => '',
    private readonly windowMs = PASTE_WINDOW_MS,
  ) {}

  push(line: string): void {
    this.lines.push(line);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.settle(), this.windowMs);
  }

  /** Sends what is held now (at the end of input). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.lines.length === 0) return;
    const message = this.lines.join('\n');
    this.lines = [];
    this.emit(message);
  }

  private settle(): void {
    this.timer = undefined;
    // The rest of the paste is still in the line editor: the next Enter completes it.
    if (this.pendingInput() !== '') return;
    this.flush();
  }
}
