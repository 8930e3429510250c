// The lines of haproxy.cfg as they are written, and which app each stretch came from, so an
// `[ALERT] ... parsing [haproxy.cfg:LINE]` can be traced back to the app whose labels broke it.

/** Lines `firstLine`..`lastLine` (1-based, inclusive) exist because of app `appId`. */
export interface ConfigOwner {
  readonly firstLine: number;
  readonly lastLine: number;
  readonly appId: string;
}

export interface RenderedConfig {
  readonly text: string;
  /** Non-overlapping, in file order. */
  readonly owners: readonly ConfigOwner[];
}

export class ConfigLines {
  private readonly lines: string[] = [];
  private readonly owners: ConfigOwner[] = [];

  /** Section headers start at the left margin; everything in a section is indented two spaces. */
  section(header: string, comment?: string): void {
    if (this.lines.length > 0) this.lines.push('');
    if (comment !== undefined) this.lines.push(`# ${comment}`);
    this.lines.push(header);
  }

  add(...settings: string[]): void {
    for (const setting of settings) this.lines.push(`  ${setting}`);
  }

  /** Records the lines `write` adds as app `appId`'s, merged with its stretch just before. */
  owned(appId: string, write: () => void): void {
    let firstLine = this.lines.length + 1;
    write();
    const lastLine = this.lines.length;
    // The blank line that separates sections belongs to nobody.
    while (firstLine <= lastLine && this.lines[firstLine - 1] === '') firstLine += 1;
    if (lastLine < firstLine) return;
    const previous = this.owners[this.owners.length - 1];
    if (previous !== undefined && previous.appId === appId && previous.lastLine + 1 >= firstLine) {
      this.owners[this.owners.length - 1] = { ...previous, lastLine };
    } else {
      this.owners.push({ firstLine, lastLine, appId });
    }
  }

  finish(): RenderedConfig {
    return { text: `${this.lines.join('\n')}\n`, owners: [...this.owners] };
  }
}
